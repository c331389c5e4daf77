/**
 * Speaks one device protocol to a running Centinela from a shell (docs/protocols.md):
 *
 *   node --import tsx devices/protocol-cli.ts gt06 PORT IMEI [sos]
 *   node --import tsx devices/protocol-cli.ts dc09 PORT ACCOUNT [tcp|udp] [CONTACT_ID, e.g. "1120 01 015"]
 *   node --import tsx devices/protocol-cli.ts sbd PORT IMEI [sos]
 *   node --import tsx devices/protocol-cli.ts inreach URL TOKEN IMEI [sos]
 *
 * Without `sos` (or a Contact ID) it sends a login/heartbeat or a poll; prints what came back.
 */
import { Dc09Communicator } from './dc09/communicator.ts';
import { Gt06Tracker } from './gt06/tracker.ts';
import { ipcEvent, MESSAGE_CODES, SimulatedIpcOutbound } from './inreach/ipc-outbound.ts';
import { SbdTerminal, SimulatedIridiumGateway } from './iridium/sbd-gateway.ts';

const [protocol, a, b, c, d] = process.argv.slice(2);
const here = { lat: 19.432608, lon: -99.133209 };
const usage = () => {
  console.error('usage: protocol-cli.ts gt06|dc09|sbd|inreach … (see the comment at the top of devices/protocol-cli.ts)');
  process.exit(2);
};

if (protocol === 'gt06' && a && b) {
  const t = new Gt06Tracker({ host: '127.0.0.1', port: Number(a), imei: b });
  await t.connect();
  await t.login();
  console.log('login answered');
  if (c === 'sos') {
    await t.alarm({ at: new Date(), ...here });
    console.log('SOS answered: help is coming');
  } else {
    await t.heartbeat();
    console.log('heartbeat answered');
  }
  t.close();
} else if (protocol === 'dc09' && a && b) {
  const comm = new Dc09Communicator({ host: '127.0.0.1', port: Number(a), transport: c === 'udp' ? 'udp' : 'tcp', account: b });
  await comm.open();
  console.log(d ? await comm.contactId(d) : await comm.poll());
  comm.close();
} else if (protocol === 'sbd' && a && b) {
  const gateway = new SimulatedIridiumGateway({ host: '127.0.0.1', port: Number(a) });
  const t = new SbdTerminal(gateway, b);
  const at = Date.now();
  const reply = await t.send(
    c === 'sos' ? { type: 'alarm', at, kind: 'sos', seq: 1, loc: here } : { type: 'heartbeat', at, battery: 80, charging: false },
  );
  console.log(reply ? `MO confirmation ${reply.toString('hex')}` : 'no MO confirmation');
} else if (protocol === 'inreach' && a && b && c) {
  const garmin = new SimulatedIpcOutbound(a, b);
  console.log(
    await garmin.push([ipcEvent(c, d === 'sos' ? MESSAGE_CODES.declareSos : MESSAGE_CODES.trackInterval, Date.now(), { point: here })]),
  );
} else usage();
