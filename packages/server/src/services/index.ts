export { createServices, defineService, serviceOf } from './service-registry.js';
export type {
  AnyServices,
  CreateServicesOptions,
  Lifecycle,
  ServiceDefinition,
  ServiceHealth,
  Services,
  ServiceValues,
} from './service-registry.js';
export { services as servicesPlugin } from './services-plugin.js';
export type { ServicesPluginOptions } from './services-plugin.js';
