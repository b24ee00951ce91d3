export { loadConfig, validateConfig, envOverrides, type LoadConfigOptions } from './load.ts';
export {
  configSchema,
  type AppConfig,
  type AppConfigInput,
  type AccountConfig,
  type ServiceConfig,
} from './schema.ts';
