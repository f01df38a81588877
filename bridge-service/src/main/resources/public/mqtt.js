// A small MQTT 3.1.1 client over WebSocket: what the live view needs and nothing more (CONNECT, SUBSCRIBE,
// PUBLISH QoS 0 out, PUBLISH QoS 0/1 in, PINGREQ, DISCONNECT). Written here rather than pulled from a CDN: the page
// must work offline, and a vendored minified library could not be reviewed. The codec functions are pure so they
// are unit tested without a broker (web/test/mqtt.test.mjs).

const CONNECT = 1;
const CONNACK = 2;
const PUBLISH = 3;
const PUBACK = 4;
const SUBSCRIBE = 8;
const SUBACK = 9;
const PINGREQ = 12;
const PINGRESP = 13;
const DISCONNECT = 14;

/** SUBACK return code of a refused subscription. */
export const SUBSCRIPTION_REFUSED = 0x80;

const CONNACK_REASONS = {
  1: 'unacceptable protocol version',
  2: 'client identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};

const MAX_REMAINING_LENGTH = 268435455;
const utf8 = new TextEncoder();

// ---------------------------------------------------------------------------------------------------------------
// Encoding

/** The variable-length "remaining length" of the fixed header: 7 bits per byte, high bit = more follows. */
export function encodeRemainingLength(length) {
  if (!Number.isInteger(length) || length < 0 || length > MAX_REMAINING_LENGTH) {
    throw new RangeError(`remaining length out of range: ${length}`);
  }
  const bytes = [];
  do {
    let digit = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) {
      digit |= 0x80;
    }
    bytes.push(digit);
  } while (length > 0);
  return bytes;
}

function utf8String(text) {
  const bytes = utf8.encode(text);
  if (bytes.length > 0xffff) {
    throw new RangeError('string longer than 65535 bytes');
  }
  return [bytes.length >> 8, bytes.length & 0xff, ...bytes];
}

function packet(firstByte, body) {
  return Uint8Array.from([firstByte, ...encodeRemainingLength(body.length), ...body]);
}

function toBytes(payload) {
  return typeof payload === 'string' ? utf8.encode(payload) : Uint8Array.from(payload);
}

/** CONNECT with clean session; the password is sent only with a user name, as MQTT 3.1.1 requires. */
export function encodeConnect({clientId, username, password, keepAliveSeconds = 30}) {
  let flags = 0x02; // clean session: the view holds no state worth resuming
  const payload = [...utf8String(clientId)];
  if (username !== undefined) {
    flags |= 0x80;
    payload.push(...utf8String(username));
    if (password !== undefined) {
      flags |= 0x40;
      payload.push(...utf8String(password));
    }
  }
  const variableHeader = [...utf8String('MQTT'), 4, flags, keepAliveSeconds >> 8, keepAliveSeconds & 0xff];
  return packet(CONNECT << 4, [...variableHeader, ...payload]);
}

/** @param subscriptions [{topic, qos}] */
export function encodeSubscribe(packetId, subscriptions) {
  if (subscriptions.length === 0) {
    throw new RangeError('SUBSCRIBE needs at least one topic filter');
  }
  const body = [packetId >> 8, packetId & 0xff];
  for (const {topic, qos} of subscriptions) {
    body.push(...utf8String(topic), qos);
  }
  return packet((SUBSCRIBE << 4) | 0x02, body);
}

/** PUBLISH at QoS 0: no packet id, nothing comes back. */
export function encodePublish(topic, payload, {retain = false} = {}) {
  return packet((PUBLISH << 4) | (retain ? 1 : 0), [...utf8String(topic), ...toBytes(payload)]);
}

export function encodePuback(packetId) {
  return Uint8Array.from([PUBACK << 4, 2, packetId >> 8, packetId & 0xff]);
}

export function encodePingreq() {
  return Uint8Array.from([PINGREQ << 4, 0]);
}

export function encodeDisconnect() {
  return Uint8Array.from([DISCONNECT << 4, 0]);
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding

/**
 * Splits a byte stream into MQTT packets. A WebSocket message may carry part of a packet or several packets, so
 * bytes are buffered until a whole packet is there.
 */
export class PacketReader {
  constructor() {
    this.buffer = new Uint8Array(0);
  }

  /** @return the complete packets now available, each {type, flags, body} */
  push(chunk) {
    const bytes = new Uint8Array(chunk);
    const joined = new Uint8Array(this.buffer.length + bytes.length);
    joined.set(this.buffer);
    joined.set(bytes, this.buffer.length);
    const packets = [];
    let offset = 0;
    for (;;) {
      const header = readFixedHeader(joined, offset);
      if (header === null || offset + header.headerLength + header.remainingLength > joined.length) {
        break;
      }
      const bodyStart = offset + header.headerLength;
      packets.push({
        type: joined[offset] >> 4,
        flags: joined[offset] & 0x0f,
        body: joined.slice(bodyStart, bodyStart + header.remainingLength),
      });
      offset = bodyStart + header.remainingLength;
    }
    this.buffer = joined.slice(offset);
    return packets;
  }
}

/** @return {headerLength, remainingLength}, or null while the header is incomplete */
function readFixedHeader(bytes, offset) {
  let multiplier = 1;
  let remainingLength = 0;
  for (let i = 1; i <= 4; i++) {
    if (offset + i >= bytes.length) {
      return null;
    }
    const digit = bytes[offset + i];
    remainingLength += (digit & 0x7f) * multiplier;
    if ((digit & 0x80) === 0) {
      return {headerLength: i + 1, remainingLength};
    }
    multiplier *= 128;
  }
  throw new Error('malformed remaining length');
}

function readUint16(bytes, offset) {
  return (bytes[offset] << 8) | bytes[offset + 1];
}

/** @return {sessionPresent, returnCode} */
export function decodeConnack(body) {
  return {sessionPresent: (body[0] & 0x01) === 1, returnCode: body[1]};
}

/** @return {packetId, returnCodes}: one per filter, the granted QoS or SUBSCRIPTION_REFUSED */
export function decodeSuback(body) {
  return {packetId: readUint16(body, 0), returnCodes: Array.from(body.slice(2))};
}

/** @return {topic, payload (Uint8Array), qos, retain, dup, packetId (QoS > 0 only)} */
export function decodePublish(flags, body) {
  const qos = (flags >> 1) & 0x03;
  const topicLength = readUint16(body, 0);
  const topic = new TextDecoder().decode(body.slice(2, 2 + topicLength));
  let offset = 2 + topicLength;
  let packetId;
  if (qos > 0) {
    packetId = readUint16(body, offset);
    offset += 2;
  }
  return {
    topic,
    payload: body.slice(offset),
    qos,
    retain: (flags & 0x01) === 1,
    dup: (flags & 0x08) !== 0,
    packetId,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The client

/**
 * One connection to the broker's WebSocket listener. Events: onMessage({topic, text, retain}), onClose(reason).
 * No reconnect: the page says the connection is gone and the user signs in again (a JWT may have expired).
 */
export class MqttClient {
  constructor() {
    this.socket = null;
    this.reader = new PacketReader();
    this.nextPacketId = 1;
    this.pendingSubscriptions = new Map();
    this.pingTimer = null;
    this.connected = false;
    this.onMessage = () => {};
    this.onClose = () => {};
  }

  /** @return a promise resolved on CONNACK 0 and rejected with the broker's reason otherwise */
  connect(url, {clientId, username, password, keepAliveSeconds = 30, timeoutMs = 10000}) {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error) => {
        if (settled) {
          return;
        }
        settled = true;
        clearTimeout(timer);
        error ? reject(error) : resolve();
      };
      const timer = setTimeout(() => {
        settle(new Error(`no answer from ${url} within ${timeoutMs} ms`));
        this.close();
      }, timeoutMs);

      let socket;
      try {
        socket = new WebSocket(url, 'mqtt');
      } catch (error) {
        settle(new Error(`cannot open ${url}: ${error.message}`));
        return;
      }
      this.socket = socket;
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => socket.send(encodeConnect({clientId, username, password, keepAliveSeconds}));
      socket.onerror = () => settle(new Error(`cannot reach ${url}`));
      socket.onclose = () => {
        const wasConnected = this.connected;
        this.connected = false;
        clearInterval(this.pingTimer);
        for (const pending of this.pendingSubscriptions.values()) {
          pending.reject(new Error('connection closed'));
        }
        this.pendingSubscriptions.clear();
        // MQTT 3.1.1 brokers answer a refused CONNECT with a CONNACK code; some just close the socket.
        settle(new Error('the broker closed the connection (refused credentials?)'));
        if (wasConnected) {
          this.onClose('connection closed by the broker');
        }
      };
      socket.onmessage = (event) => {
        for (const received of this.reader.push(event.data)) {
          if (received.type === CONNACK) {
            const {returnCode} = decodeConnack(received.body);
            if (returnCode === 0) {
              this.connected = true;
              // Half the keep alive, so a late timer never lets the broker drop an idle view.
              this.pingTimer = setInterval(() => this.send(encodePingreq()), keepAliveSeconds * 500);
              settle();
            } else {
              settle(new Error(`connection refused: ${CONNACK_REASONS[returnCode] || `code ${returnCode}`}`));
              this.close();
            }
          } else {
            this.handle(received);
          }
        }
      };
    });
  }

  handle({type, flags, body}) {
    if (type === PUBLISH) {
      const message = decodePublish(flags, body);
      if (message.qos === 1) {
        this.send(encodePuback(message.packetId));
      }
      this.onMessage({
        topic: message.topic,
        text: new TextDecoder().decode(message.payload),
        retain: message.retain,
      });
    } else if (type === SUBACK) {
      const {packetId, returnCodes} = decodeSuback(body);
      const pending = this.pendingSubscriptions.get(packetId);
      if (pending) {
        this.pendingSubscriptions.delete(packetId);
        pending.resolve(returnCodes);
      }
    }
    // PINGRESP needs no action: the socket staying open is the proof of life.
  }

  /** @return a promise of the SUBACK return codes, one per filter, in order */
  subscribe(topics, qos = 1) {
    const packetId = this.takePacketId();
    return new Promise((resolve, reject) => {
      this.pendingSubscriptions.set(packetId, {resolve, reject});
      this.send(encodeSubscribe(packetId, topics.map((topic) => ({topic, qos}))));
    });
  }

  publish(topic, payload) {
    this.send(encodePublish(topic, payload));
  }

  disconnect() {
    if (this.connected) {
      this.send(encodeDisconnect());
    }
    this.close();
  }

  close() {
    clearInterval(this.pingTimer);
    this.connected = false;
    if (this.socket) {
      this.socket.close();
    }
  }

  send(bytes) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
      throw new Error('not connected');
    }
    this.socket.send(bytes);
  }

  takePacketId() {
    const id = this.nextPacketId;
    this.nextPacketId = id === 0xffff ? 1 : id + 1;
    return id;
  }
}

export {CONNECT, CONNACK, PUBLISH, PUBACK, SUBSCRIBE, SUBACK, PINGREQ, PINGRESP, DISCONNECT};
