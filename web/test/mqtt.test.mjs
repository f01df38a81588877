// The MQTT codec and client of the live view, against byte sequences from the MQTT 3.1.1 specification and a
// scripted socket standing in for the broker (the real broker is exercised by e2e-tests' WebViewIT).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
  MqttClient, PacketReader, SUBSCRIPTION_REFUSED, decodePublish, decodeSuback, encodeConnect, encodePublish,
  encodePuback, encodeRemainingLength, encodeSubscribe,
} from '../../bridge-service/src/main/resources/public/mqtt.js';

const bytes = (text) => [...new TextEncoder().encode(text)];

test('remaining length uses 1 to 4 bytes at the boundaries of the specification', () => {
  assert.deepEqual(encodeRemainingLength(0), [0x00]);
  assert.deepEqual(encodeRemainingLength(127), [0x7f]);
  assert.deepEqual(encodeRemainingLength(128), [0x80, 0x01]);
  assert.deepEqual(encodeRemainingLength(16383), [0xff, 0x7f]);
  assert.deepEqual(encodeRemainingLength(16384), [0x80, 0x80, 0x01]);
  assert.deepEqual(encodeRemainingLength(2097152), [0x80, 0x80, 0x80, 0x01]);
  assert.deepEqual(encodeRemainingLength(268435455), [0xff, 0xff, 0xff, 0x7f]);
  assert.throws(() => encodeRemainingLength(268435456), RangeError);
  assert.throws(() => encodeRemainingLength(-1), RangeError);
});

test('CONNECT carries protocol level 4, clean session, credentials and keep alive', () => {
  const packet = [...encodeConnect({clientId: 'web-1', username: 'app', password: 'jwt', keepAliveSeconds: 30})];
  const body = [0, 4, ...bytes('MQTT'), 4, 0xc2, 0, 30, 0, 5, ...bytes('web-1'), 0, 3, ...bytes('app'),
    0, 3, ...bytes('jwt')];
  assert.deepEqual(packet, [0x10, body.length, ...body]);
});

test('CONNECT without a user name sends no password flag', () => {
  const packet = encodeConnect({clientId: 'c', password: 'ignored'});
  assert.equal(packet[9], 0x02);
});

test('CONNECT with a long JWT gets a two-byte remaining length', () => {
  const password = 'x'.repeat(300);
  const packet = encodeConnect({clientId: 'c', username: 'app', password});
  assert.equal(packet[0], 0x10);
  const remaining = (packet[1] & 0x7f) + packet[2] * 128;
  assert.ok(packet[1] & 0x80);
  assert.equal(packet.length, 3 + remaining);
});

test('SUBSCRIBE has the reserved flags 0010, the packet id and one QoS per filter', () => {
  const packet = [...encodeSubscribe(0x1234, [{topic: 'a/b', qos: 1}, {topic: 'c/#', qos: 0}])];
  const body = [0x12, 0x34, 0, 3, ...bytes('a/b'), 1, 0, 3, ...bytes('c/#'), 0];
  assert.deepEqual(packet, [0x82, body.length, ...body]);
  assert.throws(() => encodeSubscribe(1, []), RangeError);
});

test('PUBLISH at QoS 0 has no packet id and the payload in UTF-8', () => {
  const packet = [...encodePublish('devices/d1/commands/set', '{"t":"é"}')];
  const body = [0, 23, ...bytes('devices/d1/commands/set'), ...bytes('{"t":"é"}')];
  assert.deepEqual(packet, [0x30, body.length, ...body]);
});

test('PUBLISH QoS 1 retained is decoded with topic, packet id and payload', () => {
  const body = Uint8Array.from([0, 3, ...bytes('a/b'), 0x00, 0x07, ...bytes('hi')]);
  const message = decodePublish(0x03, body);
  assert.equal(message.topic, 'a/b');
  assert.equal(message.qos, 1);
  assert.equal(message.retain, true);
  assert.equal(message.dup, false);
  assert.equal(message.packetId, 7);
  assert.equal(new TextDecoder().decode(message.payload), 'hi');
});

test('PUBLISH QoS 0 has no packet id: the payload starts right after the topic', () => {
  const message = decodePublish(0x00, Uint8Array.from([0, 1, ...bytes('t'), ...bytes('{}')]));
  assert.equal(message.packetId, undefined);
  assert.equal(new TextDecoder().decode(message.payload), '{}');
});

test('SUBACK yields one return code per filter, 0x80 for a refusal', () => {
  assert.deepEqual(decodeSuback(Uint8Array.from([0, 9, 1, 0x80, 0])), {packetId: 9, returnCodes: [1, 0x80, 0]});
  assert.deepEqual([...encodePuback(0x0102)], [0x40, 2, 1, 2]);
});

test('the reader joins packets split across messages and splits messages holding several packets', () => {
  const reader = new PacketReader();
  const publish = encodePublish('t/x', 'y'.repeat(200)); // two-byte remaining length
  const connack = Uint8Array.from([0x20, 2, 0, 0]);
  const stream = Uint8Array.from([...connack, ...publish, 0xd0, 0]);
  const received = [];
  // One byte at a time: the header itself arrives in pieces.
  for (const byte of stream) {
    received.push(...reader.push(Uint8Array.from([byte]).buffer));
  }
  assert.deepEqual(received.map((p) => p.type), [2, 3, 13]);
  assert.equal(received[1].body.length, publish.length - 3);
  assert.deepEqual(reader.push(stream.buffer).map((p) => p.type), [2, 3, 13]);
  assert.equal(reader.buffer.length, 0);
});

// A WebSocket whose broker side is scripted by the test.
class FakeSocket {
  static OPEN = 1;
  static last = null;

  constructor(url, protocol) {
    this.url = url;
    this.protocol = protocol;
    this.readyState = 0;
    this.sent = [];
    FakeSocket.last = this;
    queueMicrotask(() => {
      this.readyState = FakeSocket.OPEN;
      this.onopen();
    });
  }

  send(data) {
    this.sent.push([...data]);
  }

  close() {
    if (this.readyState !== 3) {
      this.readyState = 3;
      this.onclose();
    }
  }

  receive(...packet) {
    this.onmessage({data: Uint8Array.from(packet).buffer});
  }
}

globalThis.WebSocket = FakeSocket;
const tick = () => new Promise((resolve) => setImmediate(resolve));

async function connected(client) {
  const connecting = client.connect('ws://h:1/mqtt', {clientId: 'c', username: 'app', password: 'p'});
  await tick();
  FakeSocket.last.receive(0x20, 2, 0, 0);
  await connecting;
  return FakeSocket.last;
}

test('the client speaks the "mqtt" subprotocol, sends CONNECT first and resolves on CONNACK 0', async () => {
  const client = new MqttClient();
  const socket = await connected(client);
  assert.equal(socket.protocol, 'mqtt');
  assert.equal(socket.sent[0][0], 0x10);
  assert.equal(client.connected, true);
  client.disconnect();
  assert.deepEqual(socket.sent.at(-1), [0xe0, 0]);
});

test('a refused CONNECT rejects with the reason of the return code', async () => {
  const client = new MqttClient();
  const connecting = client.connect('ws://h:1/mqtt', {clientId: 'c', username: 'app', password: 'bad'});
  await tick();
  FakeSocket.last.receive(0x20, 2, 0, 5);
  await assert.rejects(connecting, /not authorized/);
  assert.equal(client.connected, false);
});

test('a broker closing the socket instead of answering rejects the connect', async () => {
  const client = new MqttClient();
  const connecting = client.connect('ws://h:1/mqtt', {clientId: 'c', username: 'app', password: 'bad'});
  await tick();
  FakeSocket.last.close();
  await assert.rejects(connecting, /closed the connection/);
});

test('subscribe resolves with the SUBACK codes of its own packet id', async () => {
  const client = new MqttClient();
  const socket = await connected(client);
  const first = client.subscribe(['a/1', 'a/2']);
  const second = client.subscribe(['b/1']);
  socket.receive(0x90, 3, 0, 2, SUBSCRIPTION_REFUSED);
  socket.receive(0x90, 4, 0, 1, 1, 0x80);
  assert.deepEqual(await first, [1, 0x80]);
  assert.deepEqual(await second, [SUBSCRIPTION_REFUSED]);
  assert.deepEqual(socket.sent[1].slice(0, 4), [0x82, socket.sent[1].length - 2, 0, 1]);
  client.disconnect();
});

test('a QoS 1 message is acknowledged with its packet id and handed over as text', async () => {
  const client = new MqttClient();
  const socket = await connected(client);
  const messages = [];
  client.onMessage = (message) => messages.push(message);
  const body = [0, 3, ...bytes('a/b'), 0x01, 0x02, ...bytes('{"v":1}')];
  socket.receive(0x33, body.length, ...body);
  assert.deepEqual(messages, [{topic: 'a/b', text: '{"v":1}', retain: true}]);
  assert.deepEqual(socket.sent.at(-1), [0x40, 2, 1, 2]);
  client.disconnect();
});

test('losing the connection rejects pending subscriptions and reports the close once', async () => {
  const client = new MqttClient();
  const socket = await connected(client);
  const closes = [];
  client.onClose = (reason) => closes.push(reason);
  const pending = client.subscribe(['a/1']);
  socket.close();
  await assert.rejects(pending, /connection closed/);
  assert.equal(closes.length, 1);
  assert.throws(() => client.publish('x', 'y'), /not connected/);
});
