export {
  type CreateLoggerOptions,
  componentLogger,
  createLogger,
  type Logger,
} from './createLogger.js';
export { isSecretKey, REDACTED, redact, scrubText } from './redact.js';
