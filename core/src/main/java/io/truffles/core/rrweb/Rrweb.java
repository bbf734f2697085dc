package io.truffles.core.rrweb;

/**
 * The rrweb event vocabulary every stage reads (api-report §5; rrweb's {@code EventType}, {@code IncrementalSource}
 * and {@code MouseInteractions}): an event's {@code type}, an incremental snapshot's {@code data.source}, a mouse
 * interaction's {@code data.type}, and the plugins PostHog records console and network with.
 */
public final class Rrweb {
    public static final int FULL_SNAPSHOT = 2;
    public static final int INCREMENTAL_SNAPSHOT = 3;
    public static final int META = 4;
    public static final int PLUGIN = 6;

    public static final int SOURCE_MUTATION = 0;
    public static final int SOURCE_MOUSE_INTERACTION = 2;
    public static final int SOURCE_SCROLL = 3;
    public static final int SOURCE_INPUT = 5;
    public static final int SOURCE_MEDIA_INTERACTION = 7;
    public static final int SOURCE_STYLE_SHEET_RULE = 8;
    public static final int SOURCE_SELECTION = 14;

    public static final int INTERACTION_CLICK = 2;
    public static final int INTERACTION_FOCUS = 5;

    /** {@code data.plugin} of a console log event. */
    public static final String CONSOLE_PLUGIN = "rrweb/console@1";
    /** {@code data.plugin} of a network timing event. */
    public static final String NETWORK_PLUGIN = "rrweb/network@1";

    private Rrweb() {
    }
}
