import {test} from 'node:test';
import assert from 'node:assert/strict';
import {
  commandNameProblem, isDeviceId, jwtClaims, latestReading, parseAggregate, parseTopic, topics,
} from '../../bridge-service/src/main/resources/public/contract.js';

test('device ids follow the contract', () => {
  assert.ok(isDeviceId('kitchen-1'));
  assert.ok(isDeviceId('a'.repeat(64)));
  assert.ok(!isDeviceId('a'.repeat(65)));
  assert.ok(!isDeviceId('-lead'));
  assert.ok(!isDeviceId('a/b'));
  assert.ok(!isDeviceId('+'));
  assert.ok(!isDeviceId(''));
});

test('topics of a device and their parsing', () => {
  assert.equal(topics.telemetry('d1'), 'devices/d1/telemetry');
  assert.equal(topics.presence('d1'), 'devices/d1/presence');
  assert.equal(topics.aggregates('d1'), 'aggregates/d1/#');
  assert.equal(topics.command('d1', 'set'), 'devices/d1/commands/set');
  assert.deepEqual(parseTopic('devices/d1/telemetry'), {kind: 'telemetry', device: 'd1'});
  assert.deepEqual(parseTopic('devices/d1/presence'), {kind: 'presence', device: 'd1'});
  assert.deepEqual(parseTopic('aggregates/d1/10s'), {kind: 'aggregate', device: 'd1', window: '10s'});
  assert.equal(parseTopic('devices/d1/commands/set'), null);
  assert.equal(parseTopic('alerts/d1/high'), null);
});

test('command names are one topic level', () => {
  assert.equal(commandNameProblem('set'), null);
  assert.match(commandNameProblem(''), /needs a name/);
  assert.match(commandNameProblem('a/b'), /may not contain/);
  assert.match(commandNameProblem('#'), /may not contain/);
});

test('the latest reading of one reading, of a buffered upload, and of a reading timed by the broker', () => {
  assert.deepEqual(latestReading('{"ts": 5, "temperature": 21.5, "humidity": 40}', 9),
      {time: 5, metrics: [['temperature', 21.5], ['humidity', 40]]});
  assert.deepEqual(latestReading('[{"ts": 7, "t": 2}, {"ts": 3, "t": 1}]', 9), {time: 7, metrics: [['t', 2]]});
  assert.deepEqual(latestReading('{"t": 1}', 9), {time: 9, metrics: [['t', 1]]});
  assert.equal(latestReading('not json', 9), null);
  assert.equal(latestReading('[]', 9), null);
  assert.equal(latestReading('42', 9), null);
});

test('aggregates are accepted only when they have the contract shape', () => {
  const aggregate = {device: 'd1', window: '1m', start: 0, end: 60000, metrics: {t: {count: 1}}};
  assert.deepEqual(parseAggregate(JSON.stringify(aggregate)), aggregate);
  assert.equal(parseAggregate('{"window": "1m"}'), null);
  assert.equal(parseAggregate('nope'), null);
});

test('the claims of a JWT are read from its base64url payload', () => {
  const payload = Buffer.from(JSON.stringify({sub: 'alice', exp: 1900000000, n: '??>>'})).toString('base64url');
  assert.deepEqual(jwtClaims(`eyJhbGciOiJIUzI1NiJ9.${payload}.c2ln`), {sub: 'alice', exp: 1900000000});
  assert.equal(jwtClaims('not-a-jwt'), null);
  assert.equal(jwtClaims('a.!!!.c'), null);
  const noSub = Buffer.from('{"exp":1}').toString('base64url');
  assert.equal(jwtClaims(`a.${noSub}.c`), null);
});
