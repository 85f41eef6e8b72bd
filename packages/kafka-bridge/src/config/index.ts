export {
  type Config,
  ConfigError,
  loadConfig,
  parseArgs,
  SETTING_NAMES,
  securityOf,
  unknownEnvNames,
  validate,
} from './parse.js';
export {
  ENV_PREFIX,
  envName,
  findSetting,
  SETTINGS,
  type SettingGroup,
  type SettingName,
  type SettingSpec,
  type SettingType,
} from './settings.js';
