package dev.oversight.audit.domain;

/** One event of a range scan: its canonical text, its stored leaf hash and the level-0 tree node stored for it. */
public record ScanRow(long index, String canonical, byte[] leafHash, byte[] storedLeafNode, StoredEvent event) {
}
