/** Orders operators so each runs after the tasks it depends on. */
import { ConfigError } from '../errors.ts';
import type { Operator, TaskName } from './types.ts';

/** Returns the operators in dependency order; raises ConfigError on a cycle or a missing task. */
export function orderTasks(operators: readonly Operator[]): Operator[] {
  const byName = new Map(operators.map((op) => [op.name, op]));
  const ordered: Operator[] = [];
  const state = new Map<TaskName, 'visiting' | 'done'>();

  const visit = (op: Operator, trail: TaskName[]): void => {
    if (state.get(op.name) === 'done') return;
    if (state.get(op.name) === 'visiting') {
      throw new ConfigError(`task graph has a cycle: ${[...trail, op.name].join(' -> ')}`);
    }
    state.set(op.name, 'visiting');
    for (const dep of op.dependsOn) {
      const upstream = byName.get(dep);
      if (upstream === undefined) {
        throw new ConfigError(`task ${op.name} depends on ${dep}, which is not in the graph`);
      }
      visit(upstream, [...trail, op.name]);
    }
    state.set(op.name, 'done');
    ordered.push(op);
  };

  for (const op of operators) visit(op, []);
  return ordered;
}
