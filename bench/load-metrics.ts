/** Centinela's own counters, read from GET /metrics (Prometheus text) as an operator's scraper would. */
export interface IngestCounters {
  heartbeats: number;
  shed: number;
  alarms: number;
  connected: number;
}

function sumOf(text: string, name: string, labelFilter?: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    if (labelFilter && !line.includes(labelFilter)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

export async function readIngestCounters(httpUrl: string): Promise<IngestCounters> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  return {
    heartbeats: sumOf(text, 'centinela_ingest_messages_total', 'kind="heartbeat"'),
    shed: sumOf(text, 'centinela_ingest_heartbeats_shed_total'),
    alarms: sumOf(text, 'centinela_ingest_alarms_total'),
    connected: sumOf(text, 'centinela_mqtt_connected_clients'),
  };
}
