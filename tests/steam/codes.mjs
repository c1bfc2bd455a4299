// Steam Guard codes from an implementation independent of this project: DoctorMcKay's npm package
// steam-totp (pinned in package-lock.json; `npm ci --prefix tests/steam` installs it). Used to make
// tests/data/steam_vectors.tsv and, live, by the e2e test tests/e2e/steam.rs.
//
//   node tests/steam/codes.mjs SECRET T [T…]   one line "T CODE" per Unix time T
//   node tests/steam/codes.mjs --vectors       the vector file (secrets × times, TSV) on stdout
//
// SECRET is `b32:` + Base32 (RFC 4648, as in Key URIs) or `b64:` + Base64 (Steam's shared_secret).
// Only made-up secrets belong here.

import steamTotp from "steam-totp";

/** RFC 4648 Base32 (upper or lower case, padding optional) → bytes. */
function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.toUpperCase().replace(/=+$/, "")) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`not Base32: ${JSON.stringify(c)}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function secretBytes(arg) {
  if (arg.startsWith("b32:")) return base32(arg.slice(4));
  if (arg.startsWith("b64:")) return Buffer.from(arg.slice(4), "base64");
  throw new Error("SECRET must start with b32: or b64:");
}

/** The code of `secret` (bytes) at Unix time `t`: steam-totp reads the clock through its `time`. */
function codeAt(secret, t) {
  const saved = steamTotp.time;
  steamTotp.time = () => t;
  try {
    return steamTotp.generateAuthCode(secret);
  } finally {
    steamTotp.time = saved;
  }
}

const VECTOR_SECRETS = [
  // Base32, as Aegis, 2FAS, andOTP and Key URIs write Steam secrets.
  "b32:GX4AFJMGV4M4F34Z2J2ND5YMVK3W7IM2",
  "b32:3NRBOZKR2HZFVWORXXTZ4NRGJZZKP5DK",
  "b32:JBSWY3DPEHPK3PXP",
  // Base64 shared_secrets (20 bytes), as Steam's own files hold them.
  "b64:cnOgv/KdpLoP6Nbh0GMkXkPXALQ=",
  "b64:AAECAwQFBgcICQoLDA0ODxAREhM=",
];
// Period boundaries (29/30, 59/60), the epoch, today's range, 2^31 and later.
const VECTOR_TIMES = [0, 29, 30, 59, 60, 1111111109, 1234567890, 1700000000, 1764633599, 1764633600, 2000000000, 2147483648, 20000000000];

const args = process.argv.slice(2);
if (args[0] === "--vectors") {
  console.log("# Steam Guard codes made by tests/steam/codes.mjs --vectors (npm steam-totp 2.1.2).");
  console.log("# secret_base32\tsecret_base64\tunix_time\tcode");
  for (const s of VECTOR_SECRETS) {
    const bytes = secretBytes(s);
    const b32 = s.startsWith("b32:") ? s.slice(4) : null;
    for (const t of VECTOR_TIMES) {
      console.log(`${b32 ?? "-"}\t${bytes.toString("base64")}\t${t}\t${codeAt(bytes, t)}`);
    }
  }
} else if (args.length >= 2) {
  const bytes = secretBytes(args[0]);
  for (const t of args.slice(1)) console.log(`${t} ${codeAt(bytes, Number(t))}`);
} else {
  console.error("usage: node codes.mjs SECRET T [T…] | --vectors");
  process.exit(2);
}
