/**
 * One heartbeat's readings at one time: the sample health keeps for the fleet list, diagnosis
 * reads for battery drain and signal, and the demo's history generates. Times are epoch ms;
 * `at` is device time (receive time when the device clock is suspect).
 */
export interface HeartbeatSample {
  at: number;
  receivedAt: number;
  battery: number;
  charging: boolean;
  network: string;
  rssi: number | null;
  bars: number | null;
}
