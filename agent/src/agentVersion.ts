/** Sent in `auth` and at enrollment, so the cloud can list which agents run which build. */
export const agentVersion = '0.1.0';
