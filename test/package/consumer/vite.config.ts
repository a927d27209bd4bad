// An app's Vite configuration with the plugin: the worker configuration is typed.
import { identityModelWeb, type WorkerConfig } from 'identity-model-web/vite';
import { defineConfig } from 'vite';

const worker: WorkerConfig = {
  issuer: 'https://op.example',
  clientId: 'spa',
  redirectUri: '/callback',
  postLogoutRedirectUri: '/',
  scope: ['openid', 'profile', 'offline_access'],
  apis: [{ url: 'https://api.example.com/v1/', resource: 'https://api.example.com' }],
  refreshSkew: 30,
};

export default defineConfig({
  plugins: [identityModelWeb({ config: worker, fileName: 'identity-model-web-sw.js' })],
});
