/**
 * JWT claim names: the registered claims of RFC 7519, the OpenID Connect claims, and the claims
 * added by later OAuth specifications. A port of Duende.IdentityModel's `JwtClaimTypes` (and
 * py-identity-model's `JwtClaimTypes`), with camelCase keys.
 *
 * @see https://www.iana.org/assignments/jwt/jwt.xhtml IANA "JSON Web Token Claims" registry
 * @module
 */

/**
 * Claim names, camelCase key → wire name.
 *
 * JOSE header parameters (`alg`, `jwk`, `typ`), which Duende lists here too, are not claims and are
 * left out; see `JwtTypes` for `typ` values.
 *
 * @example
 * ```ts
 * const sub = claims[JwtClaimTypes.subject]; // claims['sub']
 * principal.findAll(JwtClaimTypes.audience); // one Claim per `aud` entry
 * ```
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1 RFC 7519 §4.1 (registered claims)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken OIDC Core §2 (ID Token)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims OIDC Core §5.1
 */
export const JwtClaimTypes = {
  // RFC 7519 §4.1: registered claim names
  /** `iss`: issuer identifier (RFC 7519 §4.1.1). */
  issuer: 'iss',
  /** `sub`: subject identifier, unique within the issuer (RFC 7519 §4.1.2, OIDC Core §5.1). */
  subject: 'sub',
  /** `aud`: audience, a string or an array of strings (RFC 7519 §4.1.3). */
  audience: 'aud',
  /** `exp`: expiration time, NumericDate in seconds (RFC 7519 §4.1.4). */
  expiration: 'exp',
  /** `nbf`: not-before time, NumericDate in seconds (RFC 7519 §4.1.5). */
  notBefore: 'nbf',
  /** `iat`: issued-at time, NumericDate in seconds (RFC 7519 §4.1.6). */
  issuedAt: 'iat',
  /** `jti`: unique token identifier (RFC 7519 §4.1.7). */
  jwtId: 'jti',

  // OIDC Core §2: ID Token claims
  /** `auth_time`: time of the end-user authentication (OIDC Core §2, RFC 9068 §2.2.1). */
  authenticationTime: 'auth_time',
  /** `nonce`: value from the authentication request, echoed in the ID Token (OIDC Core §2). */
  nonce: 'nonce',
  /** `acr`: authentication context class reference (OIDC Core §2, RFC 9068 §2.2.1). */
  authenticationContextClassReference: 'acr',
  /** `amr`: authentication methods references, an array (OIDC Core §2, RFC 8176). */
  authenticationMethod: 'amr',
  /** `azp`: authorized party, the client the ID Token was issued to (OIDC Core §2). */
  authorizedParty: 'azp',
  /** `at_hash`: access token hash (OIDC Core §3.1.3.6, §3.2.2.9). */
  accessTokenHash: 'at_hash',
  /** `c_hash`: authorization code hash (OIDC Core §3.3.2.11). */
  authorizationCodeHash: 'c_hash',
  /** `s_hash`: state hash (FAPI 1.0 Advanced §5.1). */
  stateHash: 's_hash',
  /** `sid`: OP session identifier (Front-Channel Logout §3, Back-Channel Logout §2.4). */
  sessionId: 'sid',

  // OIDC Core §5.1: standard claims
  /** `name`: full name. The default name claim of `ClaimsIdentity`. */
  name: 'name',
  /** `given_name`: given name(s) or first name(s). */
  givenName: 'given_name',
  /** `family_name`: surname(s) or last name(s). */
  familyName: 'family_name',
  /** `middle_name`: middle name(s). */
  middleName: 'middle_name',
  /** `nickname`: casual name. */
  nickname: 'nickname',
  /** `preferred_username`: shorthand name; relying parties MUST NOT rely on it being unique. */
  preferredUsername: 'preferred_username',
  /** `profile`: URL of the profile page. */
  profile: 'profile',
  /** `picture`: URL of the profile picture. */
  picture: 'picture',
  /** `website`: URL of the end-user's web page or blog. */
  website: 'website',
  /** `email`: preferred e-mail address (not necessarily unique). */
  email: 'email',
  /** `email_verified`: boolean, whether the OP verified the e-mail address. */
  emailVerified: 'email_verified',
  /** `gender`: `female`, `male` or another value. */
  gender: 'gender',
  /** `birthdate`: ISO 8601 `YYYY-MM-DD` (or `YYYY`, or `0000-MM-DD`). */
  birthdate: 'birthdate',
  /** `zoneinfo`: IANA time zone, e.g. `Europe/Paris`. */
  zoneinfo: 'zoneinfo',
  /** `locale`: BCP 47 language tag, e.g. `en-US`. */
  locale: 'locale',
  /** `phone_number`: preferred telephone number, E.164 recommended. */
  phoneNumber: 'phone_number',
  /** `phone_number_verified`: boolean, whether the OP verified the phone number. */
  phoneNumberVerified: 'phone_number_verified',
  /** `address`: postal address, a JSON object (OIDC Core §5.1.1). */
  address: 'address',
  /** `updated_at`: time the information was last updated, NumericDate in seconds. */
  updatedAt: 'updated_at',
  /** `_claim_names`: aggregated and distributed claims, names part (OIDC Core §5.6.2). */
  claimNames: '_claim_names',
  /** `_claim_sources`: aggregated and distributed claims, sources part (OIDC Core §5.6.2). */
  claimSources: '_claim_sources',

  // RFC 8693 §4: token exchange claims
  /** `act`: the acting party in a delegation, a JSON object (RFC 8693 §4.1). */
  actor: 'act',
  /** `scope`: space-separated scopes (RFC 8693 §4.2, RFC 9068 §2.2.3). */
  scope: 'scope',
  /** `client_id`: client identifier (RFC 8693 §4.3, RFC 9068 §2.2). */
  clientId: 'client_id',
  /** `may_act`: the party allowed to act for the subject, a JSON object (RFC 8693 §4.4). */
  mayAct: 'may_act',

  // RFC 7800, RFC 9449, RFC 8417
  /** `cnf`: confirmation (proof-of-possession key), a JSON object (RFC 7800 §3.1). */
  confirmation: 'cnf',
  /** `htm`: HTTP method of a DPoP proof (RFC 9449 §4.2). */
  dpopHttpMethod: 'htm',
  /** `htu`: HTTP target URI of a DPoP proof (RFC 9449 §4.2). */
  dpopHttpUrl: 'htu',
  /** `ath`: access token hash in a DPoP proof (RFC 9449 §4.2). */
  dpopAccessTokenHash: 'ath',
  /** `events`: security events, a JSON object (RFC 8417 §2.2, Back-Channel Logout §2.4). */
  events: 'events',
  /** `toe`: time of the event (RFC 8417 §2.2). */
  timeOfEvent: 'toe',
  /** `txn`: transaction identifier (RFC 8417 §2.2). */
  transactionId: 'txn',

  // RFC 9068 §2.2.3.1 (SCIM attributes) and common authorization claims
  /** `role`: role, the default role claim of `ClaimsIdentity` (Duende, ASP.NET). */
  role: 'role',
  /** `roles`: roles (RFC 9068 §2.2.3.1, RFC 7643 §4.1.2). */
  roles: 'roles',
  /** `groups`: groups (RFC 9068 §2.2.3.1, RFC 7643 §4.1.2). */
  groups: 'groups',
  /** `entitlements`: entitlements (RFC 9068 §2.2.3.1, RFC 7643 §4.1.2). */
  entitlements: 'entitlements',

  // Duende IdentityServer conventions
  /** `id`: a generic identifier (Duende). */
  id: 'id',
  /** `idp`: the identity provider that authenticated the user (Duende). */
  identityProvider: 'idp',
  /** `reference_token_id`: identifier of a reference token (Duende). */
  referenceTokenId: 'reference_token_id',
} as const;

/** A claim name listed in {@link JwtClaimTypes}. */
export type JwtClaimType = (typeof JwtClaimTypes)[keyof typeof JwtClaimTypes];

/**
 * Members of the `cnf` (confirmation) claim.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7800#section-3 RFC 7800 §3.2–3.5 (jwk, jwe, kid, jku)
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-6.1 RFC 9449 §6.1 (jkt)
 * @see https://www.rfc-editor.org/rfc/rfc8705#section-3.1 RFC 8705 §3.1 (x5t#S256)
 */
export const ConfirmationMethods = {
  /** `jwk`: the proof-of-possession key itself (RFC 7800 §3.2). */
  jsonWebKey: 'jwk',
  /** `jwe`: the key, encrypted (RFC 7800 §3.3). */
  encryptedJsonWebKey: 'jwe',
  /** `kid`: key identifier (RFC 7800 §3.4). */
  keyId: 'kid',
  /** `jku`: URL of a JWK set holding the key (RFC 7800 §3.5). */
  jwkSetUrl: 'jku',
  /** `jkt`: JWK SHA-256 thumbprint of the DPoP key (RFC 9449 §6.1). */
  jwkThumbprint: 'jkt',
  /** `x5t#S256`: SHA-256 thumbprint of the mTLS client certificate (RFC 8705 §3.1). */
  x509ThumbprintSha256: 'x5t#S256',
} as const;

/** A member name listed in {@link ConfirmationMethods}. */
export type ConfirmationMethod = (typeof ConfirmationMethods)[keyof typeof ConfirmationMethods];

/**
 * Values of the `amr` (authentication methods references) claim.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8176#section-2 RFC 8176 §2
 */
export const AuthenticationMethodReferences = {
  /** Facial recognition. */
  facialRecognition: 'face',
  /** Fingerprint biometric. */
  fingerprint: 'fpt',
  /** Geolocation. */
  geolocation: 'geo',
  /** Proof of possession of a hardware-secured key. */
  hardwareKey: 'hwk',
  /** Iris scan biometric. */
  iris: 'iris',
  /** Knowledge-based authentication. */
  knowledgeBased: 'kba',
  /** Multiple-channel authentication. */
  multipleChannel: 'mca',
  /** Multiple-factor authentication. */
  multiFactor: 'mfa',
  /** One-time password. */
  oneTimePassword: 'otp',
  /** Personal identification number or pattern. */
  pin: 'pin',
  /** Proof of possession of a key (unspecified storage). */
  proofOfPossession: 'pop',
  /** Password. */
  password: 'pwd',
  /** Risk-based authentication. */
  riskBased: 'rba',
  /** Retina scan biometric. */
  retina: 'retina',
  /** Smart card. */
  smartCard: 'sc',
  /** Confirmation by SMS. */
  sms: 'sms',
  /** Proof of possession of a software-secured key. */
  softwareKey: 'swk',
  /** Confirmation by telephone call. */
  telephone: 'tel',
  /** User presence test. */
  userPresence: 'user',
  /** Voice biometric. */
  voice: 'vbm',
  /** Windows integrated authentication. */
  windowsIntegrated: 'wia',
} as const;

/** An `amr` value listed in {@link AuthenticationMethodReferences}. */
export type AuthenticationMethodReference =
  (typeof AuthenticationMethodReferences)[keyof typeof AuthenticationMethodReferences];
