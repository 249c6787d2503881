package dev.oversight.routing.rest;

import java.util.List;

/** Every list answers this shape; pass {@code cursor=<nextCursor>} for the next page. */
public record PageResponse<T>(List<T> items, String nextCursor) {
}
