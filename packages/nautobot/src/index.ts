export { minimumNautobotMajor, requestedApiVersion } from './apiVersion.ts';
export { createNautobotClient } from './createNautobotClient.ts';
export type { Filters, FilterValue } from './Filters.ts';
export { type CustomField, customFieldSchema } from './models/CustomField.ts';
export { type Device, deviceSchema } from './models/Device.ts';
export { type DeviceType, deviceTypeSchema } from './models/DeviceType.ts';
export { type Choice, choiceSchema, type Ref, refSchema } from './models/fields.ts';
export { type Interface, interfaceSchema } from './models/Interface.ts';
export { type IpAddress, ipAddressSchema } from './models/IpAddress.ts';
export {
  type IpAddressToInterface,
  ipAddressToInterfaceSchema,
} from './models/IpAddressToInterface.ts';
export { type Location, locationSchema } from './models/Location.ts';
export { type LocationType, locationTypeSchema } from './models/LocationType.ts';
export { type Manufacturer, manufacturerSchema } from './models/Manufacturer.ts';
export { type Namespace, namespaceSchema } from './models/Namespace.ts';
export { type Platform, platformSchema } from './models/Platform.ts';
export { type Prefix, prefixSchema } from './models/Prefix.ts';
export { type Role, roleSchema } from './models/Role.ts';
export { type Status, statusSchema } from './models/Status.ts';
export { type Tag, tagSchema } from './models/Tag.ts';
export { type Webhook, webhookSchema } from './models/Webhook.ts';
export type {
  HttpMethod,
  ListAllOptions,
  NautobotClient,
  NautobotClientOptions,
  ProbeResult,
  RequestOptions,
} from './NautobotClient.ts';
export {
  isNautobotError,
  NautobotError,
  type NautobotErrorCode,
  type NautobotErrorDetails,
} from './NautobotError.ts';
export {
  type ResourceDefinition,
  type ResourceModel,
  type ResourceName,
  resourceNames,
  resources,
} from './resources.ts';
