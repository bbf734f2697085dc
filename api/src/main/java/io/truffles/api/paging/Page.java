package io.truffles.api.paging;

import java.util.List;

/** One page of a list, newest (or most) first; pass {@code nextCursor} back as {@code cursor} for the next page. */
public record Page<T>(List<T> items, String nextCursor) {
}
