// The client's own operations, as the text it sends: every sign-in answers the same fields.
const PAIR = 'accessToken refreshToken expiresIn scopes user { id email name } organization { id name slug }';

export const REGISTER = `mutation HeraldSignUp($input: RegisterInput!) { register(input: $input) { ${PAIR} } }`;
export const LOGIN = `mutation HeraldSignIn($input: LoginInput!) { login(input: $input) { __typename ... on AuthPayload { ${PAIR} } ... on OrganizationSelection { selectionToken organizations { id name slug } } } }`;
export const SELECT_ORGANIZATION = `mutation HeraldSelectOrganization($input: SelectOrganizationInput!) { selectOrganization(input: $input) { ${PAIR} } }`;
export const SWITCH_ORGANIZATION = `mutation HeraldSwitchOrganization($input: SwitchOrganizationInput!) { switchOrganization(input: $input) { ${PAIR} } }`;
export const REFRESH = `mutation HeraldRefresh($input: RefreshInput!) { refresh(input: $input) { ${PAIR} } }`;
export const LOGOUT = 'mutation HeraldSignOut($input: LogoutInput!) { logout(input: $input) }';
export const LOGOUT_ALL = 'mutation HeraldSignOutEverywhere { logoutAll }';
export const REQUEST_PASSWORD_RESET =
  'mutation HeraldRequestPasswordReset($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) }';
export const RESET_PASSWORD =
  'mutation HeraldResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) }';
export const ACCEPT_INVITATION = `mutation HeraldAcceptInvitation($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { ${PAIR} } }`;
