// oidc-provider 9 ships no type declarations (and @types/oidc-provider lags behind it): the demo
// provider treats the module as `any` and types its own surface with JSDoc instead.
declare module 'oidc-provider';
