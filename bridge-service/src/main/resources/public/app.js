// The live view: signs in to the broker with an app token, follows the devices the user names, and sends commands.
// Everything from the network is shown with textContent, never parsed as HTML.

import {MqttClient, SUBSCRIPTION_REFUSED} from './mqtt.js';
import {commandNameProblem, isDeviceId, jwtClaims, latestReading, parseAggregate, parseTopic, topics}
  from './contract.js';

const BROKER_KEY = 'pulsehub.broker';
const LOG_LIMIT = 100;

const $ = (selector, root = document) => root.querySelector(selector);

const view = {
  client: null,
  owner: null,
  devices: new Map(), // device id -> its card
};

// ---------------------------------------------------------------------------------------------------------------
// Sign in

function defaultBrokerUrl() {
  const host = location.hostname || '127.0.0.1';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${host}:8000/mqtt`;
}

async function signIn(event) {
  event.preventDefault();
  const url = $('#broker-url').value.trim();
  const token = $('#token').value.trim();
  const claims = jwtClaims(token);
  if (claims === null) {
    showError('#sign-in-error', 'This is not a JWT with a "sub" claim (three base64url parts separated by dots).');
    return;
  }
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()) {
    showError('#sign-in-error', `This token expired at ${new Date(claims.exp * 1000).toLocaleString()}.`);
    return;
  }
  showError('#sign-in-error', null);
  localStorage.setItem(BROKER_KEY, url);
  setConnection('connecting', `Connecting to ${url}…`);
  $('#connect').disabled = true;

  const client = new MqttClient();
  client.onMessage = onMessage;
  client.onClose = (reason) => {
    if (view.client === client) {
      signedOut(`Disconnected: ${reason}`);
    }
  };
  try {
    await client.connect(url, {clientId: randomClientId(), username: 'app', password: token});
  } catch (error) {
    setConnection('disconnected', 'Not connected');
    $('#connect').disabled = false;
    showError('#sign-in-error', error.message);
    return;
  }
  view.client = client;
  view.owner = claims.sub;
  setConnection('connected', `Connected as ${claims.sub}`);
  $('#connect').hidden = true;
  $('#disconnect').hidden = false;
  // The token stays out of sight while signed in; it is a password.
  $('#credentials').hidden = true;
  $('#session').hidden = false;
  $('#session').textContent = `Signed in as ${claims.sub} on ${url}` + (typeof claims.exp === 'number'
      ? `; the token expires ${new Date(claims.exp * 1000).toLocaleString()}.` : '.');
  $('#owner').textContent = `(owner ${claims.sub})`;
  $('#workspace').hidden = false;
  log(`connected to ${url} as ${claims.sub}`);
  for (const id of rememberedDevices()) {
    follow(id);
  }
}

function signOut() {
  const client = view.client;
  view.client = null;
  if (client) {
    client.disconnect();
  }
  signedOut('Not connected');
}

function signedOut(status) {
  view.client = null;
  setConnection('disconnected', status);
  $('#connect').disabled = false;
  $('#connect').hidden = false;
  $('#disconnect').hidden = true;
  $('#credentials').hidden = false;
  $('#session').hidden = true;
  $('#workspace').hidden = true;
  $('#devices').replaceChildren();
  view.devices.clear();
  log(status);
}

function setConnection(state, text) {
  const element = $('#connection');
  element.dataset.state = state;
  element.textContent = text;
}

// ---------------------------------------------------------------------------------------------------------------
// Devices

// Apps have no device list in the hub (the HTTP API is for admins), so the ids the user entered are kept per owner.
function devicesKey() {
  return `pulsehub.devices.${view.owner}`;
}

function rememberedDevices() {
  try {
    const ids = JSON.parse(localStorage.getItem(devicesKey()) || '[]');
    return Array.isArray(ids) ? ids.filter(isDeviceId) : [];
  } catch {
    return [];
  }
}

function remember(ids) {
  localStorage.setItem(devicesKey(), JSON.stringify(ids));
}

function addDevice(event) {
  event.preventDefault();
  const input = $('#device-id');
  const id = input.value.trim();
  if (!isDeviceId(id)) {
    showError('#add-device-error',
        'A device id is 1 to 64 letters, digits, "_", "." or "-", starting with a letter or digit.');
    return;
  }
  showError('#add-device-error', null);
  input.value = '';
  if (view.devices.has(id)) {
    return;
  }
  remember([...rememberedDevices().filter((known) => known !== id), id]);
  follow(id);
}

async function follow(id) {
  const card = createCard(id);
  view.devices.set(id, card);
  $('#devices').append(card);
  const filters = [topics.presence(id), topics.telemetry(id), topics.aggregates(id)];
  let codes;
  try {
    codes = await view.client.subscribe(filters);
  } catch (error) {
    setSubscription(card, 'refused', `not subscribed: ${error.message}`);
    return;
  }
  const refused = filters.filter((filter, i) => codes[i] === SUBSCRIPTION_REFUSED);
  if (refused.length === 0) {
    setSubscription(card, 'subscribed', 'live');
  } else {
    // The broker refuses every topic of a device that is not the signed-in owner's, and does not say why.
    setSubscription(card, 'refused', refused.length === filters.length
        ? 'refused: not a device of this owner?' : `refused: ${refused.join(', ')}`);
    log(`subscriptions refused for ${id}: ${refused.join(', ')}`);
  }
}

function unfollow(id) {
  // MQTT 3.1.1 UNSUBSCRIBE is not implemented; the messages of a removed device are simply ignored until the next
  // sign-in, which subscribes afresh.
  view.devices.get(id)?.remove();
  view.devices.delete(id);
  remember(rememberedDevices().filter((known) => known !== id));
  log(`removed ${id}`);
}

function createCard(id) {
  const card = $('#device-template').content.firstElementChild.cloneNode(true);
  card.dataset.device = id;
  $('.device-id', card).textContent = id;
  $('.remove', card).addEventListener('click', () => unfollow(id));
  $('.command', card).addEventListener('submit', (event) => sendCommand(event, id, card));
  return card;
}

function setSubscription(card, state, text) {
  const badge = $('.subscription', card);
  badge.dataset.subscription = state;
  badge.textContent = text;
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

function onMessage({topic, text, retain}) {
  const about = parseTopic(topic);
  const card = about && view.devices.get(about.device);
  if (!card) {
    return;
  }
  const arrived = Date.now();
  log(`${retain ? 'retained ' : ''}${topic} ${text}`);
  if (about.kind === 'telemetry') {
    showReading(card, latestReading(text, arrived));
  } else if (about.kind === 'presence') {
    showPresence(card, text.trim());
  } else if (about.kind === 'aggregate') {
    showAggregate(card, parseAggregate(text));
  }
}

function showReading(card, reading) {
  if (reading === null) {
    return;
  }
  const list = $('.reading', card);
  const items = [];
  for (const [name, value] of reading.metrics) {
    const term = document.createElement('dt');
    term.textContent = name;
    const detail = document.createElement('dd');
    detail.dataset.metric = name;
    detail.textContent = String(value);
    items.push(term, detail);
  }
  list.replaceChildren(...items);
  const time = $('.reading-time', card);
  time.dateTime = new Date(reading.time).toISOString();
  time.textContent = `at ${formatTime(reading.time)}`;
}

function showPresence(card, state) {
  const badge = $('.presence', card);
  const known = state === 'online' || state === 'offline';
  badge.dataset.presence = known ? state : 'unknown';
  badge.textContent = known ? state : `presence: ${state}`;
}

function showAggregate(card, aggregate) {
  if (aggregate === null) {
    return;
  }
  const body = $('.aggregates tbody', card);
  $('tr.empty', body)?.remove();
  // One row per window and metric, replaced by the newer window; windows sorted so 10s comes before 1m.
  for (const [metric, summary] of Object.entries(aggregate.metrics)) {
    const key = `${aggregate.window}/${metric}`;
    let row = [...body.rows].find((candidate) => candidate.dataset.key === key);
    if (row && Number(row.dataset.start) > aggregate.start) {
      continue; // a retained older window arriving late must not hide a newer one
    }
    if (!row) {
      row = document.createElement('tr');
      row.dataset.key = key;
      body.append(row);
    }
    row.dataset.start = String(aggregate.start);
    const cells = [aggregate.window, metric, summary.count, round(summary.mean), summary.min, summary.max,
      summary.last, `${formatTime(aggregate.start)} – ${formatTime(aggregate.end)}`];
    row.replaceChildren(...cells.map((value) => {
      const cell = document.createElement('td');
      cell.textContent = String(value);
      return cell;
    }));
  }
  const rows = [...body.rows].sort((a, b) => a.dataset.key.localeCompare(b.dataset.key, 'en', {numeric: true}));
  body.replaceChildren(...rows);
}

function sendCommand(event, id, card) {
  event.preventDefault();
  const name = $('.command-name', card).value.trim();
  const bodyText = $('.command-body', card).value.trim() || '{}';
  const result = $('.command-result', card);
  const problem = commandNameProblem(name);
  if (problem) {
    result.textContent = problem;
    return;
  }
  let body;
  try {
    body = JSON.parse(bodyText);
  } catch (error) {
    result.textContent = `the body is not JSON: ${error.message}`;
    return;
  }
  const topic = topics.command(id, name);
  try {
    view.client.publish(topic, JSON.stringify(body));
  } catch (error) {
    result.textContent = `not sent: ${error.message}`;
    return;
  }
  // QoS 0: the broker confirms nothing, and the device answers (if at all) on its own topics.
  result.textContent = `sent ${name} at ${formatTime(Date.now())}`;
  log(`sent ${topic} ${JSON.stringify(body)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function log(text) {
  const list = $('#log');
  const item = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = formatTime(Date.now());
  item.append(time, text);
  list.prepend(item);
  while (list.children.length > LOG_LIMIT) {
    list.lastElementChild.remove();
  }
}

function showError(selector, message) {
  const element = $(selector);
  element.hidden = message === null;
  element.textContent = message ?? '';
}

// Any client id that is not a device id of the hub; random so two tabs do not take over each other's session.
// (crypto.randomUUID would be shorter but exists only in secure contexts, and the page may be opened over plain
// http from another machine.)
function randomClientId() {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function formatTime(ms) {
  return new Date(ms).toLocaleTimeString([], {hour12: false});
}

function round(value) {
  return typeof value === 'number' ? Math.round(value * 1000) / 1000 : value;
}

// ?broker=ws://host:port/mqtt lets a script print a link that fits a hub with other ports.
$('#broker-url').value = new URLSearchParams(location.search).get('broker') || localStorage.getItem(BROKER_KEY)
    || defaultBrokerUrl();
$('#sign-in').addEventListener('submit', signIn);
$('#disconnect').addEventListener('click', signOut);
$('#add-device').addEventListener('submit', addDevice);
