package io.truffles.analyzer.detect;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What counts as "the page is still working on it": a short text such as "Loading…", "Processing…" or "Please
 * wait", an element marked {@code aria-busy="true"} or {@code role="progressbar"}, a {@code <progress>}, or an element
 * whose class or id names a spinner or loader. Hidden ones ({@code hidden}, {@code display: none},
 * {@code visibility: hidden} on it or an ancestor) do not count.
 */
final class LoadingIndicator {
    private static final Pattern LOADING_TEXT = Pattern.compile(
            "^\\W*(loading|processing|please wait|saving|submitting|sending|uploading|exporting|working on it"
                    + "|one moment|fetching)\\b.{0,40}$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern SPINNER_NAME = Pattern.compile("spinner|loader|loading|throbber|progress",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern MODAL_NAME = Pattern.compile("modal|overlay|backdrop|dialog", Pattern.CASE_INSENSITIVE);

    private LoadingIndicator() {
    }

    /** Whether the node (a text node or an element) shows that the page is still loading. */
    static boolean is(DomIndex dom, int id) {
        boolean indicator;
        if (dom.isText(id)) {
            String text = dom.ownText(id);
            indicator = text.length() < 80 && LOADING_TEXT.matcher(text.strip()).matches();
        } else {
            if (!dom.exists(id)) {
                return false;
            }
            Map<String, String> attributes = dom.attributes(id);
            indicator = !attributes.isEmpty() && ("true".equals(attributes.get("aria-busy"))
                    || "progressbar".equals(attributes.get("role")) || named(attributes.get("class"), SPINNER_NAME)
                    || named(attributes.get("id"), SPINNER_NAME)) || dom.tagOf(id).equals("progress");
        }
        return indicator && visible(dom, id);
    }

    /** What the user sees: the indicator's text, or what kind of indicator it is. */
    static String label(DomIndex dom, int id) {
        String text = (dom.ownText(id).isEmpty() ? dom.textOf(id) : dom.ownText(id)).strip().replaceAll("\\s+", " ");
        if (!text.isEmpty()) {
            return text.length() > 40 ? text.substring(0, 40) + "…" : text;
        }
        if ("true".equals(dom.attribute(id, "aria-busy"))) {
            return "a busy region (aria-busy)";
        }
        return "progressbar".equals(dom.attribute(id, "role")) || dom.tagOf(id).equals("progress")
                ? "a progress bar" : "a spinner";
    }

    /** Whether the indicator sits in a modal, so the user can do nothing else until it goes. */
    static boolean inModal(DomIndex dom, int id) {
        for (int element : dom.elementAndAncestors(id)) {
            String role = dom.attribute(element, "role");
            if ("dialog".equals(role) || "alertdialog".equals(role) || "true".equals(dom.attribute(element,
                    "aria-modal")) || dom.tagOf(element).equals("dialog")
                    || named(dom.attribute(element, "class"), MODAL_NAME)) {
                return true;
            }
        }
        return false;
    }

    static boolean visible(DomIndex dom, int id) {
        for (int element : dom.elementAndAncestors(id)) {
            if (dom.attribute(element, "hidden") != null) {
                return false;
            }
            String style = dom.attribute(element, "style");
            if (style != null) {
                String compact = style.toLowerCase(Locale.ROOT).replace(" ", "");
                if (compact.contains("display:none") || compact.contains("visibility:hidden")) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean named(String value, Pattern name) {
        return value != null && name.matcher(value).find();
    }
}
