// <herald-inbox> in a small React app: the element is used like any other tag; its getToken
// property and its events are wired through a ref. The app signs in with @herald/client.
// Build: npx esbuild examples/inbox-react/main.jsx --bundle --jsx=automatic --outfile=examples/inbox-react/main.js
import '@herald/inbox';
import { createHeraldClient } from '@herald/client';
import { useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';

const HERALD = 'http://127.0.0.1:4000';
const herald = createHeraldClient({ url: HERALD, storage: 'session' });
const getToken = () => herald.getAccessToken();

function Inbox() {
  const ref = useRef(null);
  const [latest, setLatest] = useState(null);
  useEffect(() => {
    const inbox = ref.current;
    inbox.getToken = getToken;
    const arrived = (event) => setLatest(event.detail.notification.title);
    inbox.addEventListener('herald-notification', arrived);
    return () => inbox.removeEventListener('herald-notification', arrived);
  }, []);
  return (
    <>
      <herald-inbox ref={ref} url={HERALD} lang="en" />
      {latest && <p role="status">New: {latest}</p>}
    </>
  );
}

function SignIn() {
  const [problem, setProblem] = useState('');
  const submit = async (event) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    try {
      await herald.signIn({ email: data.get('email'), password: data.get('password') });
    } catch (error) {
      setProblem(error.message);
    }
  };
  return (
    <form onSubmit={submit}>
      <input name="email" type="email" placeholder="Email" required />
      <input name="password" type="password" placeholder="Password" required />
      <button type="submit">Sign in</button>
      <output>{problem}</output>
    </form>
  );
}

function App() {
  const [session, setSession] = useState(herald.session);
  useEffect(() => {
    herald.ready.then(setSession);
    return herald.onSessionChange(setSession);
  }, []);
  return (
    <header style={{ display: 'flex', justifyContent: 'space-between', padding: 12 }}>
      <strong>Acme (React)</strong>
      {session ? <Inbox /> : <SignIn />}
    </header>
  );
}

createRoot(document.querySelector('#app')).render(<App />);
