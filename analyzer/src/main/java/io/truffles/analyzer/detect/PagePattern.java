package io.truffles.analyzer.detect;

import java.net.URI;

/**
 * A URL reduced to the page it shows: the path, with the segments that identify one record (numbers, UUIDs, long
 * hex or opaque ids) replaced by {@code :id}, so {@code /orders/1234/edit} and {@code /orders/98/edit} are one page.
 */
public final class PagePattern {
    private PagePattern() {
    }

    public static String of(String url) {
        if (url == null || url.isBlank()) {
            return "";
        }
        String path;
        try {
            URI uri = URI.create(url.strip());
            path = uri.getRawPath() != null && uri.getScheme() != null ? uri.getRawPath() : url.strip();
        } catch (IllegalArgumentException notAUri) {
            path = url.strip();
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        int fragment = path.indexOf('#');
        if (fragment >= 0) {
            path = path.substring(0, fragment);
        }
        StringBuilder pattern = new StringBuilder();
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            pattern.append('/').append(isIdentifier(segment) ? ":id" : segment);
        }
        return pattern.length() == 0 ? "/" : pattern.toString();
    }

    private static boolean isIdentifier(String segment) {
        return segment.matches("\\d+")
                || segment.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
                || segment.matches("[0-9a-fA-F]{16,}")
                || (segment.length() >= 20 && segment.matches("[A-Za-z0-9_-]+") && segment.matches(".*\\d.*"));
    }
}
