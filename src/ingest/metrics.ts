import type { Metrics } from '../platform/metrics.ts';

/** Ingest's counters and histograms, on the instance's own registry. */
export function createIngestMetrics(metrics: Metrics) {
  const registers = [metrics.registry];
  return {
    messages: new metrics.Counter({
      name: 'centinela_ingest_messages_total',
      help: 'Device messages accepted, by kind (heartbeat, alarm, event, status)',
      labelNames: ['kind'] as const,
      registers,
    }),
    rejected: new metrics.Counter({
      name: 'centinela_ingest_rejected_total',
      help: 'Device messages dropped as unreadable or refused by the topic ACL, by kind and reason',
      labelNames: ['kind', 'reason'] as const,
      registers,
    }),
    shed: new metrics.Counter({
      name: 'centinela_ingest_heartbeats_shed_total',
      help: 'Heartbeats dropped to protect the alarm path (throttled device, overload, full telemetry buffer)',
      labelNames: ['reason'] as const,
      registers,
    }),
    alarms: new metrics.Counter({
      name: 'centinela_ingest_alarms_total',
      help: 'Alarm presses stored, by outcome (opened, joined, duplicate) and whether the payload was readable',
      labelNames: ['outcome', 'readable'] as const,
      registers,
    }),
    alarmStoreFailures: new metrics.Counter({
      name: 'centinela_ingest_alarm_store_failures_total',
      help: 'Alarm presses that could not be stored (the device gets no PUBACK and retransmits)',
      registers,
    }),
    alarmsJournaled: new metrics.Counter({
      name: 'centinela_ingest_alarms_journaled_total',
      help: 'Alarm presses the store did not take in time, made durable in the local journal and PUBACKed (issue 13)',
      registers,
    }),
    alarmsWithheld: new metrics.Counter({
      name: 'centinela_ingest_alarms_withheld_total',
      help: 'Alarm presses neither stored nor journaled: PUBACK withheld, the connection kept, the device retransmits',
      registers,
    }),
    deadNodeWills: new metrics.Counter({
      name: 'centinela_ingest_dead_node_wills_total',
      help: "Last wills of a dead node published by this one, by outcome: departure (the device's latest connection), stale (it connected again since)",
      labelNames: ['outcome'] as const,
      registers,
    }),
    alarmsReplayed: new metrics.Counter({
      name: 'centinela_ingest_alarms_replayed_total',
      help: 'Journaled alarm presses replayed into the database once it answered again',
      registers,
    }),
    alarmJournalPending: new metrics.Gauge({
      name: 'centinela_ingest_alarm_journal_pending',
      help: 'Alarm presses in the local journal not yet in the database',
      registers,
    }),
    alarmStoreSeconds: new metrics.Histogram({
      name: 'centinela_ingest_alarm_store_seconds',
      help: 'Time to store an alarm press durably, before its PUBACK',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    alarmsPerCommit: new metrics.Histogram({
      name: 'centinela_ingest_alarms_per_commit',
      help: 'Alarm presses made durable together in one commit (group commit)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 500],
      registers,
    }),
    packetsRefused: new metrics.Counter({
      name: 'centinela_mqtt_packets_refused_total',
      help: 'MQTT connections closed by the packet guard, by reason (too_large, malformed)',
      labelNames: ['reason'] as const,
      registers,
    }),
    connectsDropped: new metrics.Counter({
      name: 'centinela_mqtt_connects_dropped_total',
      help: 'CONNECTs dropped before authentication, by reason (closed_before_auth: the socket closed while it waited)',
      labelNames: ['reason'] as const,
      registers,
    }),
    authWaiting: new metrics.Gauge({
      name: 'centinela_mqtt_connects_waiting',
      help: 'CONNECTs waiting for one of the bounded authentication slots',
      registers,
    }),
    connectionsRefused: new metrics.Counter({
      name: 'centinela_mqtt_connections_refused_total',
      help: 'Incoming MQTT connections the process could not accept, by reason (open_file_limit)',
      labelNames: ['reason'] as const,
      registers,
    }),
    openFilesNearLimit: new metrics.Gauge({
      name: 'centinela_open_files_near_limit',
      help: '1 while the process holds at least 90 % of its open-file limit (new devices will soon be refused)',
      registers,
    }),
    connections: new metrics.Gauge({
      name: 'centinela_mqtt_connected_clients',
      help: 'Authenticated MQTT clients connected to the embedded broker',
      registers,
    }),
    telemetryDropped: new metrics.Counter({
      name: 'centinela_telemetry_points_dropped_total',
      help: 'Telemetry points lost because a store refused or failed them, by sink',
      labelNames: ['sink'] as const,
      registers,
    }),
    overloaded: new metrics.Gauge({
      name: 'centinela_ingest_overloaded',
      help: '1 while intake is shedding heartbeats because the process is behind',
      registers,
    }),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
