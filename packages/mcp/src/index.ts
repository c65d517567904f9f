export { covers } from './scopes.ts';
export {
  createHeraldMcpServer,
  describeTool,
  type GraphQLAnswer,
  type GraphQLError,
  type HeraldMcpOptions,
  SERVER_NAME,
  SERVER_VERSION,
  toolsFor,
} from './server.ts';
export { TOOLS, type Tool } from './tools.ts';
