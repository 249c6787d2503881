// Checks the audit evidence a page carries, in this browser, with WebCrypto: nothing here takes the server's word.
//  - leaf hash = SHA-256(0x00 || canonical JSON), node = SHA-256(0x01 || left || right)   (RFC 6962 / RFC 9162)
//  - inclusion proofs (RFC 9162 section 2.1.3.2) lead each event's leaf to the checkpoint's root
//  - consistency proofs (RFC 9162 section 2.1.4.2) show each checkpoint extends the one before it
//  - checkpoint signatures are Ed25519 over the text the audit service documents (README "Audit"), where the
//    browser supports Ed25519 in WebCrypto.
(function () {
  "use strict";
  const enc = new TextEncoder();
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const unhex = (h) => {
    if (typeof h !== "string" || !/^([0-9a-f]{2})*$/.test(h)) throw new Error("not a hex hash: " + h);
    const out = new Uint8Array(h.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(2 * i, 2), 16);
    return out;
  };
  const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  async function sha256(...parts) {
    const len = parts.reduce((n, p) => n + p.length, 0);
    const buf = new Uint8Array(len);
    let o = 0;
    for (const p of parts) { buf.set(p, o); o += p.length; }
    return new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
  }
  const leafHash = (canonical) => sha256(Uint8Array.of(0), enc.encode(canonical));
  const nodeHash = (l, r) => sha256(Uint8Array.of(1), l, r);
  const odd = (n) => n % 2 === 1;
  const half = (n) => Math.floor(n / 2);

  // RFC 9162 2.1.3.2: the root an inclusion proof leads to from this leaf.
  async function inclusionRoot(index, size, leaf, path) {
    if (!(index < size)) throw new Error("leaf index " + index + " is not inside a tree of size " + size);
    let fn = index, sn = size - 1, r = leaf;
    for (const p of path) {
      if (sn === 0) throw new Error("the inclusion proof is longer than the tree allows");
      if (odd(fn) || fn === sn) {
        r = await nodeHash(p, r);
        if (!odd(fn)) { while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); } }
      } else {
        r = await nodeHash(r, p);
      }
      fn = half(fn); sn = half(sn);
    }
    if (sn !== 0) throw new Error("the inclusion proof is shorter than the tree needs");
    return r;
  }

  // RFC 9162 2.1.4.2: whether a consistency proof shows root2 (size2) extends root1 (size1).
  async function consistent(size1, size2, root1, root2, proof) {
    if (size1 === size2) return proof.length === 0 && hex(root1) === hex(root2);
    if (size1 === 0 || size1 > size2 || proof.length === 0) return false;
    let path = proof.slice();
    if (Number.isInteger(Math.log2(size1))) path.unshift(root1); // an exact power of two
    let fn = size1 - 1, sn = size2 - 1;
    while (odd(fn)) { fn = half(fn); sn = half(sn); }
    let fr = path[0], sr = path[0];
    for (const c of path.slice(1)) {
      if (sn === 0) return false;
      if (odd(fn) || fn === sn) {
        fr = await nodeHash(c, fr);
        sr = await nodeHash(c, sr);
        if (!odd(fn)) { while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); } }
      } else {
        sr = await nodeHash(sr, c);
      }
      fn = half(fn); sn = half(sn);
    }
    return sn === 0 && hex(fr) === hex(root1) && hex(sr) === hex(root2);
  }

  function signedText(cp) {
    return "oversight-audit-checkpoint/v1\n" + cp.treeSize + "\n" + cp.rootHash + "\n" + cp.timestamp + "\n";
  }

  // Returns true, false, or null when this browser has no Ed25519 in WebCrypto.
  async function signatureValid(cp, keyView) {
    let key;
    try {
      key = await crypto.subtle.importKey("spki", b64(keyView.publicKey), { name: "Ed25519" }, false, ["verify"]);
    } catch (e) {
      if (e && (e.name === "NotSupportedError")) return null;
      throw new Error("the public key could not be read: " + e);
    }
    return crypto.subtle.verify({ name: "Ed25519" }, key, b64(cp.signature), enc.encode(signedText(cp)));
  }

  // The key's id is the first 16 hex digits of SHA-256 of its X.509 encoding: recomputed here, and compared with a
  // key the auditor pinned in this browser, if any.
  async function checkKey(keyView, problems) {
    const id = hex(await sha256(b64(keyView.publicKey))).slice(0, 16);
    const info = document.getElementById("key-info");
    const pinned = localStorage.getItem("oversight.pinnedKeys");
    const pins = pinned ? JSON.parse(pinned) : null;
    if (id !== keyView.keyId) problems.push("the public key does not match its key id " + keyView.keyId);
    if (pins && !pins.includes(keyView.publicKey)) {
      problems.push("the signing key " + id + " is not one you pinned in this browser");
    }
    if (info) {
      info.textContent = "Signing key " + id + (pins ? (pins.includes(keyView.publicKey) ? " (pinned by you)." : " (NOT pinned).")
        : ". Compare it with the key your organisation published, then pin it to be warned if it ever changes: ");
      if (!pins || !pins.includes(keyView.publicKey)) {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = "Pin this key";
        b.addEventListener("click", () => {
          const list = pins || [];
          list.push(keyView.publicKey);
          localStorage.setItem("oversight.pinnedKeys", JSON.stringify(list));
          b.replaceWith(document.createTextNode(" pinned."));
        });
        info.appendChild(b);
      }
    }
  }

  function report(state, text) {
    const el = document.getElementById("verification");
    el.dataset.state = state;
    el.className = state === "verified" ? "notice" : state === "failed" ? "error" : "warning";
    el.textContent = text;
  }

  function mark(cell, ok, text) {
    if (!cell) return;
    cell.textContent = text;
    cell.className = cell.className.replace(/\b(ok|bad)\b/g, "").trim() + (ok ? " ok" : " bad");
  }

  async function trail(ev) {
    const problems = [];
    const cp = ev.checkpoint && ev.checkpoint.signature ? ev.checkpoint : null;
    if (!cp) {
      report("unsigned", "Not verified yet: no signed checkpoint covers these events. Checkpoints are signed every few"
        + " seconds; reload the page in a moment.");
      return;
    }
    const root = unhex(cp.rootHash);
    let sig = await signatureValid(cp, ev.publicKey);
    await checkKey(ev.publicKey, problems);
    if (sig === false) problems.push("the checkpoint's signature does not verify");
    let good = 0;
    for (const e of ev.events) {
      const cell = document.querySelector('td.check[data-index="' + e.index + '"]');
      try {
        if (e.proof.treeSize !== cp.treeSize) throw new Error("its proof is for another tree size");
        const leaf = await leafHash(e.canonical);
        const r = await inclusionRoot(e.index, cp.treeSize, leaf, e.proof.hashes.map(unhex));
        if (hex(r) !== hex(root)) throw new Error("its canonical JSON and proof do not lead to the signed root");
        const row = document.getElementById("event-" + e.index);
        const type = JSON.parse(e.canonical).type;
        if (row && type && row.querySelector(".type").textContent.trim() !== type) {
          throw new Error("the page shows another type than its canonical JSON");
        }
        good++;
        mark(cell, true, "verified");
      } catch (err) {
        mark(cell, false, "FAILED: " + err.message);
        problems.push("event " + e.index + ": " + err.message);
      }
    }
    if (problems.length) {
      report("failed", "Verification FAILED in this browser: " + problems.join("; ") + ".");
    } else if (sig === null) {
      report("partial", "Every inclusion proof checked (" + good + " events lead to root " + cp.rootHash.slice(0, 16)
        + "…), but this browser cannot check Ed25519 signatures, so the root itself is unverified here.");
    } else {
      report("verified", "Verified in this browser: all " + good + " events are in the log of " + cp.treeSize
        + " events whose root is signed by key " + cp.keyId + " (Ed25519, checked here).");
    }
  }

  async function checkpoints(ev) {
    const problems = [];
    let unsupported = false;
    const seenKeys = new Set();
    for (const entry of ev.checkpoints) {
      const cp = entry.checkpoint;
      const key = ev.keys[cp.keyId];
      const sigCell = document.querySelector('td.sig[data-size="' + cp.treeSize + '"]');
      const consCell = document.querySelector('td.cons[data-size="' + cp.treeSize + '"]');
      try {
        if (!seenKeys.has(cp.keyId)) { seenKeys.add(cp.keyId); await checkKey(key, problems); }
        const ok = await signatureValid(cp, key);
        if (ok === null) { unsupported = true; mark(sigCell, true, "not checkable in this browser"); }
        else if (ok) mark(sigCell, true, "valid");
        else { mark(sigCell, false, "INVALID"); problems.push("checkpoint " + cp.treeSize + ": bad signature"); }
      } catch (err) {
        mark(sigCell, false, "FAILED: " + err.message);
        problems.push("checkpoint " + cp.treeSize + ": " + err.message);
      }
      if (entry.consistency) {
        const older = ev.checkpoints.find((x) => x.checkpoint.treeSize === entry.olderTreeSize).checkpoint;
        try {
          const ok = await consistent(older.treeSize, cp.treeSize, unhex(older.rootHash), unhex(cp.rootHash),
            entry.consistency.hashes.map(unhex));
          mark(consCell, ok, ok ? "consistent" : "INCONSISTENT");
          if (!ok) problems.push("checkpoint " + cp.treeSize + " does not extend checkpoint " + older.treeSize);
        } catch (err) {
          mark(consCell, false, "FAILED: " + err.message);
          problems.push("checkpoint " + cp.treeSize + ": " + err.message);
        }
      } else {
        mark(consCell, true, "oldest on this page");
      }
    }
    if (problems.length) report("failed", "Verification FAILED in this browser: " + problems.join("; ") + ".");
    else if (unsupported) report("partial", "Consistency checked, but this browser cannot check Ed25519 signatures.");
    else report("verified", "Verified in this browser: " + ev.checkpoints.length + " signatures valid, each checkpoint"
      + " consistent with the one below it.");
  }

  async function run() {
    const script = document.getElementById("evidence");
    if (!script) return;
    if (!window.crypto || !crypto.subtle) {
      report("failed", "This browser offers no WebCrypto here (it needs a secure context: https or localhost); nothing"
        + " on this page is verified.");
      return;
    }
    try {
      const ev = JSON.parse(script.textContent);
      if (ev.events) await trail(ev); else await checkpoints(ev);
    } catch (err) {
      report("failed", "Verification FAILED in this browser: " + err.message);
    }
  }

  // The same proof arithmetic for the receipt page (receipt.js), loaded after this script.
  window.OversightProofs = Object.freeze({ hex, sha256, inclusionRoot });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run); else run();
})();
