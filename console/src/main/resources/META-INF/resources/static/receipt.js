// Checks a C2SP tlog-proof receipt in this browser, with WebCrypto, against a log key (C2SP vkey):
//  - the checkpoint note is signed by that key (Ed25519 over the note's text, key hash SHA-256(name LF 0x01 key)[:4]);
//  - the leaf SHA-256(0x00 || extra) leads, by the inclusion proof (RFC 9162 2.1.3.2), to the checkpoint's root.
// It needs verify.js loaded before it (the shared proof arithmetic).
// Base64 is read strictly (padded and canonical), as the offline verifier reads it.
(function () {
  "use strict";
  const enc = new TextEncoder();
  // SHA-256, hex and the RFC 9162 inclusion walk are verify.js's, which the page loads first.
  const { hex, sha256, inclusionRoot } = window.OversightProofs;
  function b64(s, what) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new Error(what + " is not base64");
    const bytes = Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
    if (btoa(String.fromCharCode(...bytes)) !== s) throw new Error(what + " is not canonical base64");
    return bytes;
  }

  // Resolves to the event's text when the receipt holds; throws why not.
  async function check(text, vkey) {
    const split = text.indexOf("\n\n");
    if (split < 0) throw new Error("no empty line before the checkpoint");
    const head = text.substring(0, split).split("\n");
    if (head[0] !== "c2sp.org/tlog-proof@v1") throw new Error("the first line is not c2sp.org/tlog-proof@v1");
    if (!head[1] || !head[1].startsWith("extra ")) throw new Error("the receipt carries no event (extra)");
    const extra = b64(head[1].substring(6), "extra");
    if (!head[2] || !/^index (0|[1-9][0-9]*)$/.test(head[2])) throw new Error("no valid index line");
    const index = Number(head[2].substring(6));
    const path = head.slice(3).map((l, i) => {
      const h = b64(l, "proof line " + (i + 1));
      if (h.length !== 32) throw new Error("proof line " + (i + 1) + " is not a SHA-256 hash");
      return h;
    });
    const note = text.substring(split + 2);
    const sigAt = note.indexOf("\n\n");
    if (sigAt < 0 || !note.endsWith("\n")) throw new Error("the checkpoint is not a signed note");
    const body = note.substring(0, sigAt + 1);
    const lines = body.split("\n");
    if (lines.length < 4 || !/^(0|[1-9][0-9]*)$/.test(lines[1])) throw new Error("the checkpoint is malformed");
    const [origin, size, root] = [lines[0], Number(lines[1]), b64(lines[2], "the root")];
    // name+hash+base64(key): the name holds no "+", the base64 may.
    const v = vkey.trim(), i = v.indexOf("+"), j = v.indexOf("+", i + 1);
    if (i < 1 || j < 0) throw new Error("the log key is not a vkey (name+hash+key)");
    const parts = [v.substring(0, i), v.substring(i + 1, j), v.substring(j + 1)];
    const material = b64(parts[2], "the log key");
    if (material.length !== 33 || material[0] !== 1) throw new Error("the log key is not an Ed25519 key");
    const keyHash = (await sha256(enc.encode(parts[0] + "\n"), material)).slice(0, 4);
    if (hex(keyHash) !== parts[1]) throw new Error("the log key's hash does not match its key");
    if (origin !== parts[0]) throw new Error("the checkpoint is of log " + origin + ", not " + parts[0]);
    let key;
    try {
      key = await crypto.subtle.importKey("raw", material.slice(1), { name: "Ed25519" }, false, ["verify"]);
    } catch (e) {
      throw new Error("this browser cannot check Ed25519 signatures");
    }
    let signed = false;
    for (const line of note.substring(sigAt + 2).split("\n")) {
      const prefix = "\u2014 " + parts[0] + " ";
      if (!line.startsWith(prefix)) continue;
      const sig = b64(line.substring(prefix.length), "a signature");
      if (sig.length === 68 && hex(sig.slice(0, 4)) === parts[1]
          && await crypto.subtle.verify({ name: "Ed25519" }, key, sig.slice(4), enc.encode(body))) signed = true;
    }
    if (!signed) throw new Error("the checkpoint is not signed by this log key");
    const got = await inclusionRoot(index, size, await sha256(Uint8Array.of(0), extra), path);
    if (hex(got) !== hex(root)) throw new Error("the inclusion proof does not lead from the event to the signed root");
    return { index, size, event: new TextDecoder().decode(extra) };
  }

  function show(state, message, event) {
    const out = document.getElementById("receipt-result");
    out.dataset.state = state;
    out.className = state === "verified" ? "ok" : "error";
    out.textContent = message;
    const pre = document.getElementById("receipt-event");
    pre.hidden = !event;
    pre.textContent = event || "";
  }

  function start() {
    const button = document.getElementById("check-receipt");
    if (!button) return;
    document.getElementById("receipt-file").addEventListener("change", async (e) => {
      const file = e.target.files[0];
      if (file) document.getElementById("receipt-text").value = await file.text();
    });
    document.getElementById("receipt-form").addEventListener("submit", (e) => e.preventDefault());
    button.addEventListener("click", async () => {
      if (!window.crypto || !crypto.subtle) {
        show("failed", "This browser offers no WebCrypto here (it needs https or localhost): nothing is checked.");
        return;
      }
      try {
        const r = await check(document.getElementById("receipt-text").value.replace(/\r\n/g, "\n"),
          document.getElementById("log-vkey").value);
        show("verified", "Verified in this browser: event " + r.index + " is in the log, under its checkpoint of "
          + r.size + " events signed by the key above.", r.event);
      } catch (err) {
        show("failed", "Verification FAILED in this browser: " + err.message + ".");
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
