// npm may run on an older system Node than the one Herald runs on: every npm script runs on the
// Node 24 that the `node` dependency installs. The engine checks npm makes against its own Node
// would flood the install with warnings that do not apply (.npmrc keeps them quiet), so this
// says the one thing that does.
const npmNode = /\bnode\/v(\d+)\.\S+/.exec(process.env.npm_config_user_agent ?? '');
if (npmNode && Number(npmNode[1]) < 24) {
  console.log(
    `Herald's npm scripts run on the Node ${process.version} installed in node_modules (npm itself ran on ${npmNode[0].slice(5)}): use \`npm start\`, \`npm test\`, \`npm run …\`.`,
  );
}
