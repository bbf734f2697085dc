package io.truffles.analyzer.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.core.documents.Severity;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingScanTest {
    private static final String SHOP = "https://shop.example.com/orders/1234/edit?tab=items";

    @Test
    void fourQuickClicksOnOneSpotAreOneRageClickAtTheFirstClick() {
        List<Finding> findings = new Events().page(0, SHOP, "Edit order", "Items")
                .click(5_000, Events.BUTTON, 100, 100).addText(5_050, 30, "Saving…")
                .click(5_250, Events.BUTTON, 104, 101)
                .click(5_500, Events.BUTTON, 98, 99)
                .click(5_800, Events.BUTTON, 101, 103)
                .mouseMove(9_000, 300, 300)
                .scan();

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(FindingKind.RAGE_CLICK);
            assertThat(finding.severity()).isEqualTo(Severity.yellow);
            assertThat(finding.offsetSeconds()).isEqualTo(5.0);
            assertThat(finding.page()).isEqualTo("/orders/:id/edit");
            assertThat(finding.element()).isEqualTo("button#save.primary.big \"Save order\"");
            assertThat(finding.description()).contains("4 times");
        });
    }

    @Test
    void clicksTooSlowOrTooFarApartAreNoRageClick() {
        List<Finding> slow = new Events().page(0, SHOP, "Edit order", "Items")
                .click(1_000, Events.BUTTON, 100, 100).addText(1_100, 30, "a")
                .click(2_100, Events.BUTTON, 100, 100).addText(2_200, 32, "b")
                .click(3_200, Events.BUTTON, 100, 100).addText(3_300, 34, "c")
                .scan();
        List<Finding> far = new Events().page(0, SHOP, "Edit order", "Items")
                .click(1_000, Events.BUTTON, 100, 100).addText(1_100, 30, "a")
                .click(1_200, Events.BUTTON, 140, 100)
                .click(1_400, Events.BUTTON, 180, 100)
                .mouseMove(5_000, 0, 0)
                .scan();
        assertThat(slow).isEmpty();
        assertThat(far).extracting(Finding::kind).doesNotContain(FindingKind.RAGE_CLICK);
    }

    @Test
    void aClickThatChangesNothingForTwoAndAHalfSecondsIsADeadClick() {
        List<Finding> findings = new Events().page(0, SHOP, "Edit order", "Items")
                .click(2_000, Events.PANEL, 400, 300)
                .mouseMove(4_400, 410, 300)
                .mouseMove(6_000, 420, 300)
                .scan();

        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(FindingKind.DEAD_CLICK);
            assertThat(finding.offsetSeconds()).isEqualTo(2.0);
            assertThat(finding.element()).isEqualTo("div.panel \"Items\"");
        });
    }

    @Test
    void aClickAnsweredByAMutationAScrollOrAFocusIsAlive() {
        List<Finding> findings = new Events().page(0, SHOP, "Edit order", "Items")
                .click(1_000, Events.BUTTON, 100, 100).addText(2_400, 30, "Saved")
                .click(5_000, Events.PANEL, 400, 300).scroll(5_080)
                .click(8_000, Events.INPUT, 200, 500)
                .mouseMove(14_000, 0, 0)
                .scan();
        assertThat(findings).isEmpty();
    }

    @Test
    void aScrollHalfASecondAfterAClickAnswersIt() {
        // a page that scrolls to what the click asked for once an animation has run: no DOM change, still alive
        List<Finding> findings = new Events().page(0, SHOP, "Edit order", "Items")
                .click(1_000, Events.PANEL, 400, 300).scroll(1_500)
                .mouseMove(6_000, 0, 0)
                .scan();
        assertThat(findings).isEmpty();
    }

    @Test
    void aScrollLaterThanTwoAndAHalfSecondsDoesNotAnswerAClick() {
        List<Finding> findings = new Events().page(0, SHOP, "Edit order", "Items")
                .click(1_000, Events.PANEL, 400, 300).scroll(3_600)
                .mouseMove(6_000, 0, 0)
                .scan();
        assertThat(findings).extracting(Finding::kind).containsExactly(FindingKind.DEAD_CLICK);
    }

    @Test
    void aClickTooCloseToTheEndOfTheRecordingIsNotJudged() {
        List<Finding> findings = new Events().page(0, SHOP, "Edit order", "Items")
                .click(1_000, Events.PANEL, 400, 300)
                .mouseMove(2_000, 0, 0)
                .scan();
        assertThat(findings).isEmpty();
    }

    @Test
    void theClicksOfARageClickAreNotAlsoReportedAsDead() {
        List<Finding> findings = new Events().page(0, SHOP, "Edit order", "Items")
                .click(1_000, Events.PANEL, 400, 300)
                .click(1_200, Events.PANEL, 402, 300)
                .click(1_400, Events.PANEL, 401, 302)
                .mouseMove(6_000, 0, 0)
                .scan();
        assertThat(findings).extracting(Finding::kind).containsExactly(FindingKind.RAGE_CLICK);
    }

    @Test
    void anHttpErrorPageAfterNavigationIsARedFinding() {
        List<Finding> findings = new Events().page(0, "https://shop.example.com/checkout/77", "404 Not Found",
                        "The page you were looking for doesn't exist.")
                .mouseMove(3_000, 0, 0)
                .scan();
        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(FindingKind.ERROR_PAGE);
            assertThat(finding.severity()).isEqualTo(Severity.red);
            assertThat(finding.page()).isEqualTo("/checkout/:id");
            assertThat(finding.title()).contains("404 Not Found");
        });
    }

    @Test
    void anErrorBoundaryRenderedAfterNavigationIsAnErrorPage() {
        List<Finding> findings = new Events().page(0, SHOP, "Edit order", "Loading…")
                .addText(1_500, 30, "Something went wrong. Please reload the page.")
                .mouseMove(3_000, 0, 0)
                .scan();
        assertThat(findings).singleElement().satisfies(finding -> {
            assertThat(finding.kind()).isEqualTo(FindingKind.ERROR_PAGE);
            assertThat(finding.offsetSeconds()).isEqualTo(1.5);
        });
    }

    @Test
    void aCalmSessionYieldsNothing() {
        List<Finding> findings = new Events().page(0, SHOP, "Edit order", "Your order has 3 items")
                .mouseMove(500, 10, 10)
                .click(1_000, Events.BUTTON, 100, 100).addText(1_300, 30, "Saved")
                .scroll(4_000)
                .click(6_000, Events.INPUT, 200, 500)
                .mouseMove(12_000, 20, 20)
                .scan();
        assertThat(findings).isEmpty();
    }

    @Test
    void aRecordingStreamedFromItsStoredJsonGivesTheSameFindings() throws Exception {
        Events events = new Events().page(0, SHOP, "Edit order", "Items")
                .click(2_000, Events.PANEL, 400, 300)
                .mouseMove(6_000, 420, 300);
        assertThat(RecordingScan.scan(new ByteArrayInputStream(events.asJson()))).isEqualTo(events.scan());
    }
}
