// The hub's contract as the page needs it (README "The contract"), free of DOM and network so it is unit tested
// directly (web/test/contract.test.mjs).

const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function isDeviceId(id) {
  return DEVICE_ID.test(id);
}

export const topics = {
  telemetry: (id) => `devices/${id}/telemetry`,
  presence: (id) => `devices/${id}/presence`,
  aggregates: (id) => `aggregates/${id}/#`,
  command: (id, name) => `devices/${id}/commands/${name}`,
};

/** @return {kind: 'telemetry'|'presence'|'aggregate', device, window?} or null for a topic the page ignores */
export function parseTopic(topic) {
  const levels = topic.split('/');
  if (levels.length === 3 && levels[0] === 'devices' && (levels[2] === 'telemetry' || levels[2] === 'presence')) {
    return {kind: levels[2], device: levels[1]};
  }
  if (levels.length === 3 && levels[0] === 'aggregates') {
    return {kind: 'aggregate', device: levels[1], window: levels[2]};
  }
  return null;
}

/** A command name is one topic level: no separators, no wildcards. @return a problem, or null when fine */
export function commandNameProblem(name) {
  if (name.length === 0) {
    return 'a command needs a name';
  }
  if (/[/+#]/.test(name)) {
    return "a command name may not contain '/', '+' or '#'";
  }
  return null;
}

/**
 * The newest reading of a telemetry payload: one reading, or an array of buffered ones. Readings without `ts` are
 * timed by the broker, so the arrival time stands in for it here.
 * @return {time (ms), metrics: [[name, value]]} or null when the payload holds no reading
 */
export function latestReading(payloadText, arrivedAtMs) {
  let parsed;
  try {
    parsed = JSON.parse(payloadText);
  } catch {
    return null;
  }
  const readings = (Array.isArray(parsed) ? parsed : [parsed])
      .filter((reading) => reading !== null && typeof reading === 'object' && !Array.isArray(reading));
  let latest = null;
  for (const reading of readings) {
    const time = typeof reading.ts === 'number' ? reading.ts : arrivedAtMs;
    if (latest === null || time >= latest.time) {
      latest = {time, metrics: Object.entries(reading).filter(([name, value]) => name !== 'ts'
            && typeof value === 'number')};
    }
  }
  return latest;
}

/** @return the aggregate, or null when the payload is not one */
export function parseAggregate(payloadText) {
  try {
    const aggregate = JSON.parse(payloadText);
    const wellFormed = aggregate && typeof aggregate.window === 'string' && typeof aggregate.start === 'number'
        && typeof aggregate.end === 'number' && aggregate.metrics && typeof aggregate.metrics === 'object';
    return wellFormed ? aggregate : null;
  } catch {
    return null;
  }
}

/**
 * The claims of a JWT, read without checking the signature: only the broker can check it; the page only shows
 * whose devices it is about to look at and when the token runs out.
 * @return {sub, exp} or null when this is not a JWT
 */
export function jwtClaims(token) {
  const parts = token.trim().split('.');
  if (parts.length !== 3) {
    return null;
  }
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const json = new TextDecoder().decode(Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json);
    return typeof claims.sub === 'string' ? {sub: claims.sub, exp: claims.exp} : null;
  } catch {
    return null;
  }
}
