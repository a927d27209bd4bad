/**
 * Dynamic client registration and management against the real provider (demo/provider.js):
 * registration guarded by the initial access token, then read, update (the registration access
 * token rotates), delete, and a read of the deleted client.
 */
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/core/errors.js';
import {
  type ClientRegistrationSuccess,
  deleteClient,
  readClient,
  registerClient,
  updateClient,
} from '../../../src/core/registration/index.js';
import { requestClientCredentialsToken } from '../../../src/core/token/index.js';
import { DEMO_INITIAL_ACCESS_TOKEN, useProvider } from '../../support/provider.js';
import { expectFailure, expectSuccess } from '../../support/result.js';

const op = useProvider();

const METADATA = {
  client_name: 'Reporting job',
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: 'client_secret_basic',
};

describe('registration against oidc-provider', () => {
  it('refuses a registration without the initial access token (401, typed)', async () => {
    const client = expectFailure(
      await registerClient({ address: `${op().issuer}/reg`, metadata: METADATA }),
      { errorType: 'protocol', httpStatus: 401 },
    );
    expect(client.error).toBe('invalid_token');
    expect(client.wwwAuthenticate).toMatch(/^Bearer realm=/);
    expect(client.exception).toBeInstanceOf(ProtocolError);
    expect(op().counts['/reg']).toBe(1);
  });

  it('registers, reads, updates (token rotates), deletes; the deleted client cannot be read', async () => {
    const registered = expectSuccess(
      await registerClient({
        address: `${op().issuer}/reg`,
        metadata: METADATA,
        initialAccessToken: DEMO_INITIAL_ACCESS_TOKEN,
      }),
    );
    expect(registered.httpStatus).toBe(201);
    expect(registered.clientId).toMatch(/\S{10,}/);
    expect(registered.clientSecret).toMatch(/\S{20,}/);
    expect(registered.clientSecretExpiresAt).toBe(0);
    expect(registered.clientIdIssuedAt).toBeGreaterThan(1_600_000_000);
    expect(registered.registrationClientUri).toBe(`${op().issuer}/reg/${registered.clientId}`);
    expect(registered.raw.client_name).toBe('Reporting job');

    // The issued secret is real: the new client gets a token.
    const token = await requestClientCredentialsToken({
      address: `${op().issuer}/token`,
      clientId: registered.clientId,
      clientSecret: registered.clientSecret!,
    });
    expect(token.isSuccessful).toBe(true);

    const access = (client: ClientRegistrationSuccess) => ({
      registrationClientUri: client.registrationClientUri!,
      registrationAccessToken: client.registrationAccessToken!,
    });
    const read = expectSuccess(await readClient(access(registered)));
    expect(read.httpStatus).toBe(200);
    expect(read.clientId).toBe(registered.clientId);
    expect(read.clientSecret).toBe(registered.clientSecret);

    const updated = expectSuccess(
      await updateClient({
        ...access(registered),
        metadata: { ...read.raw, client_id: read.clientId, client_name: 'Renamed job' },
      }),
    );
    expect(updated.raw.client_name).toBe('Renamed job');
    expect(updated.clientId).toBe(registered.clientId);
    // oidc-provider rotates the registration access token on update; the old one is dead.
    expect(updated.registrationAccessToken).toBeTruthy();
    expect(updated.registrationAccessToken).not.toBe(registered.registrationAccessToken);
    const stale = expectFailure(await readClient(access(registered)), { httpStatus: 401 });
    expect(stale.error).toBe('invalid_token');
    expect(expectSuccess(await readClient(access(updated))).raw.client_name).toBe('Renamed job');

    const deleted = expectSuccess(await deleteClient(access(updated)));
    expect(deleted.httpStatus).toBe(204);
    const gone = expectFailure(await readClient(access(updated)), {
      errorType: 'protocol',
      httpStatus: 401,
    });
    expect(gone.error).toBe('invalid_token');
    const noToken = await requestClientCredentialsToken({
      address: `${op().issuer}/token`,
      clientId: registered.clientId,
      clientSecret: registered.clientSecret!,
    });
    expect(noToken.isSuccessful).toBe(false);
  });

  it('reports invalid metadata as the server error', async () => {
    const client = expectFailure(
      await registerClient({
        address: `${op().issuer}/reg`,
        metadata: { redirect_uris: ['not a url'] },
        initialAccessToken: DEMO_INITIAL_ACCESS_TOKEN,
      }),
      { httpStatus: 400 },
    );
    expect(client.error).toMatch(/^invalid_(redirect_uri|client_metadata)$/);
    expect(client.errorDescription).toBeTruthy();
  });
});
