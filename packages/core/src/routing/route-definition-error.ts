import { FrameworkError } from '../errors/framework-error.js';

/**
 * A route table that cannot work, found when it is built (at import, before any request): a path
 * param without a decoder, a decoder without a param, a malformed path or base.
 */
export class RouteDefinitionError extends FrameworkError {
  constructor(problem: string) {
    super(
      'CS1001',
      `Bad route definition: ${problem}`,
      'fix the route() / createRouter() call named above: each :param and *rest in the path needs a decoder in `params` (param.int(), param.string()…), and `params` holds nothing else',
    );
    this.name = 'RouteDefinitionError';
  }
}
