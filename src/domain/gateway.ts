/** A gateway account: a satellite-messaging gateway, say, that publishes for the devices listed on it. */
export interface Gateway {
  id: string;
  description: string | null;
  deviceIds: string[];
  createdAt: string;
  retiredAt: string | null;
}

/** What MQTT authentication needs of a gateway: never shown, never logged. */
export interface GatewayCredentials {
  secretHash: string;
  retiredAt: number | null;
  deviceIds: string[];
}
