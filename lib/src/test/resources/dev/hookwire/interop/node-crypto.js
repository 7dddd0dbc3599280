'use strict';
// Signs and verifies webhooks with Node's own crypto, each format computed the way its
// documentation describes it, so that Hookwire's signers and verifiers can be checked against
// an independent implementation. Uses nothing but node:crypto.
//
// Reads one JSON document from stdin:
//   {"sign":   [{"scheme", "key", "id", "timestamp", "body", "url", "variant"}],
//    "verify": [{"scheme", "key", "headers", "body", "url", "variant", "now"}]}
// bodies in base64, timestamps in Unix seconds; writes
//   {"signed": [{header: value}], "verified": [true | false]}
// in the same order. A case that throws answers {"error": message} in its place.

const crypto = require('node:crypto');

const TOLERANCE_SECONDS = 300;
// DER headers of an Ed25519 PKCS#8 private key (the 32-byte seed follows) and SPKI public key.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

function hmac(algorithm, key, ...parts) {
  const mac = crypto.createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

// Constant-time comparison; timingSafeEqual needs equal lengths, which are not secret.
function safeEqual(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function header(headers, name) {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

function fresh(timestamp, now) {
  return /^[0-9]+$/.test(timestamp) && Math.abs(now - Number(timestamp)) <= TOLERANCE_SECONDS;
}

// Standard Webhooks: whsec_ + base64 of the key; content "id.timestamp.body".
function standardKey(secret) {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

function standardContent(id, timestamp, body) {
  return Buffer.concat([Buffer.from(`${id}.${timestamp}.`), body]);
}

function ed25519Private(secretKey) {
  const bytes = Buffer.from(secretKey.replace(/^whsk_/, ''), 'base64');
  const der = Buffer.concat([PKCS8_ED25519, bytes.subarray(0, 32)]);
  return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

function ed25519Public(publicKey) {
  const bytes = Buffer.from(publicKey.replace(/^whpk_/, ''), 'base64');
  return crypto.createPublicKey({ key: Buffer.concat([SPKI_ED25519, bytes]), format: 'der', type: 'spki' });
}

// The signatures of a Standard Webhooks header: "v1,sig v1,sig2 v1a,sig3".
function standardSignatures(value, version) {
  return (value || '')
    .split(' ')
    .map((entry) => entry.split(','))
    .filter((parts) => parts.length === 2 && parts[0] === version)
    .map((parts) => parts[1]);
}

// Insightarc's own sample check hashes JSON.stringify(parsed body) + URL; the other variant
// hashes the raw body bytes followed by the URL.
function insightarcContent(c, body) {
  if (c.variant === 'seed-snippet') {
    return [JSON.stringify(JSON.parse(body.toString('utf8'))) + c.url];
  }
  return [body, c.url];
}

const schemes = {
  intelligems: {
    sign: (c, body) => ({ 'X-Intelligems-Signature': hmac('sha256', c.key, body).toString('hex') }),
    verify: (c, body) => {
      const signature = header(c.headers, 'X-Intelligems-Signature');
      return signature !== undefined && safeEqual(signature, hmac('sha256', c.key, body).toString('hex'));
    },
  },
  insightarc: {
    sign: (c, body) => ({
      'x-insightarc-signature': hmac('sha1', c.key, ...insightarcContent(c, body)).toString('base64'),
    }),
    verify: (c, body) => {
      const signature = header(c.headers, 'x-insightarc-signature');
      let content;
      try {
        content = insightarcContent(c, body);
      } catch (e) {
        return false; // the sample check cannot parse the body, so cannot accept it
      }
      return signature !== undefined && safeEqual(signature, hmac('sha1', c.key, ...content).toString('base64'));
    },
  },
  github: {
    sign: (c, body) => ({ 'X-Hub-Signature-256': 'sha256=' + hmac('sha256', c.key, body).toString('hex') }),
    verify: (c, body) => {
      const signature = header(c.headers, 'X-Hub-Signature-256');
      return signature !== undefined && safeEqual(signature, 'sha256=' + hmac('sha256', c.key, body).toString('hex'));
    },
  },
  shopify: {
    sign: (c, body) => ({ 'X-Shopify-Hmac-Sha256': hmac('sha256', c.key, body).toString('base64') }),
    verify: (c, body) => {
      const signature = header(c.headers, 'X-Shopify-Hmac-Sha256');
      return signature !== undefined && safeEqual(signature, hmac('sha256', c.key, body).toString('base64'));
    },
  },
  stripe: {
    sign: (c, body) => {
      const mac = hmac('sha256', c.key, Buffer.from(`${c.timestamp}.`), body).toString('hex');
      return { 'Stripe-Signature': `t=${c.timestamp},v1=${mac}` };
    },
    verify: (c, body) => {
      const items = (header(c.headers, 'Stripe-Signature') || '').split(',').map((item) => item.split('='));
      const t = items.find((item) => item[0] === 't');
      if (!t || !fresh(t[1], c.now)) return false;
      const expected = hmac('sha256', c.key, Buffer.from(`${t[1]}.`), body).toString('hex');
      return items.filter((item) => item[0] === 'v1').some((item) => safeEqual(item[1], expected));
    },
  },
  standard: {
    sign: (c, body) => ({
      'webhook-id': c.id,
      'webhook-timestamp': String(c.timestamp),
      'webhook-signature':
        'v1,' + hmac('sha256', standardKey(c.key), standardContent(c.id, c.timestamp, body)).toString('base64'),
    }),
    verify: (c, body) => {
      const id = header(c.headers, 'webhook-id');
      const timestamp = header(c.headers, 'webhook-timestamp');
      if (id === undefined || !fresh(timestamp, c.now)) return false;
      const expected = hmac('sha256', standardKey(c.key), standardContent(id, timestamp, body)).toString('base64');
      return standardSignatures(header(c.headers, 'webhook-signature'), 'v1').some((s) => safeEqual(s, expected));
    },
  },
  'standard-ed25519': {
    sign: (c, body) => ({
      'webhook-id': c.id,
      'webhook-timestamp': String(c.timestamp),
      'webhook-signature':
        'v1a,' + crypto.sign(null, standardContent(c.id, c.timestamp, body), ed25519Private(c.key)).toString('base64'),
    }),
    verify: (c, body) => {
      const id = header(c.headers, 'webhook-id');
      const timestamp = header(c.headers, 'webhook-timestamp');
      if (id === undefined || !fresh(timestamp, c.now)) return false;
      const content = standardContent(id, timestamp, body);
      const key = ed25519Public(c.key);
      return standardSignatures(header(c.headers, 'webhook-signature'), 'v1a').some((s) =>
        crypto.verify(null, content, key, Buffer.from(s, 'base64')),
      );
    },
  },
};

function run(c, action) {
  try {
    const scheme = schemes[c.scheme];
    if (!scheme) throw new Error(`unknown scheme ${c.scheme}`);
    return scheme[action](c, Buffer.from(c.body, 'base64'));
  } catch (e) {
    return { error: String(e && e.stack ? e.stack : e) };
  }
}

const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const answer = {
    signed: (request.sign || []).map((c) => run(c, 'sign')),
    verified: (request.verify || []).map((c) => run(c, 'verify')),
  };
  process.stdout.write(JSON.stringify(answer));
});
