// The baselines of the socket benchmark, with nothing of Herald: graphql-ws on ws, each socket
// holding one subscription that never yields (what the stack's reference server costs), or
// with BARE=ws plain ws answering `connection_init` and nothing else (what an open socket costs
// a Node process at all). Prints the port it listens on.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useServer } from 'graphql-ws/use/ws';
import { createSchema } from 'graphql-yoga';
import { WebSocketServer } from 'ws';

const server = createServer();
const wss = new WebSocketServer({ server, path: '/graphql' });
if (process.env.BARE === 'ws') {
  wss.on('connection', (socket) =>
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type?: string }).type === 'connection_init') {
        socket.send('{"type":"connection_ack"}');
      }
    }),
  );
} else {
  const forever = new Promise<never>(() => {});
  const schema = createSchema({
    typeDefs: 'type Query { hello: String } type Subscription { tick: Int }',
    resolvers: {
      Subscription: {
        tick: {
          subscribe: async function* () {
            yield { tick: await forever };
          },
        },
      },
    },
  });
  useServer({ schema }, wss);
}
server.listen(0, '127.0.0.1', () => console.log(`port ${(server.address() as AddressInfo).port}`));
