// A real OpenID Connect provider for the app's login tests (panva's oidc-provider, certified),
// on loopback: one confidential client (the app), any account name logs in (the provider's
// development login page) and is given the verified e-mail address of that name.
//   node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  findAccount: (ctx, id) => ({
    accountId: id,
    // an account named unverified.… has an address the provider did not verify
    claims: () => ({ sub: id, email: id, email_verified: !id.startsWith('unverified.'), name: id }),
  }),
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => false },
  // the claims of the requested scopes in the ID token too, as Google's and most providers' are
  // (Streamlit's st.user reads the ID token)
  conformIdTokenClaims: false,
  cookies: { keys: ['rongcuo-kg-test-only'] },
});
provider.listen(Number(port), '127.0.0.1', () => console.log('ready'));
