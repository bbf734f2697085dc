package io.truffles.analyzer.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.truffles.analyzer.detect.Events;
import io.truffles.analyzer.detect.Finding;
import io.truffles.analyzer.detect.FindingKind;
import io.truffles.core.documents.ConsoleError;
import io.truffles.core.documents.NetworkFailure;
import io.truffles.core.documents.Session;
import io.truffles.core.documents.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentGroupingTest {
    private static final String SHOP = "https://shop.example.com/orders/1234/edit";

    @Test
    void aClickItsFailedRequestItsConsoleErrorAndTheRetriesAreOneRedIncident() {
        Events events = new Events().page(0, SHOP, "Edit order", "Items");
        for (long at = 1_000; at <= 9_000; at += 4_000) {
            events.click(at, Events.BUTTON, 100, 100);
        }
        events.mouseMove(14_000, 0, 0);
        Session session = session(List.of(failure("POST", "/api/orders/12", 500, 1.2),
                failure("POST", "/api/orders/12", 500, 5.2), failure("POST", "/api/orders/12", 500, 9.2)),
                List.of(error("Save failed", 1.25)));

        List<Finding> findings = IncidentGrouping.group(session, events.read());

        assertThat(findings).singleElement().satisfies(incident -> {
            assertThat(incident.kind()).isEqualTo(FindingKind.FAILED_REQUEST);
            assertThat(incident.severity()).isEqualTo(Severity.red);
            assertThat(incident.offsetSeconds()).isEqualTo(1.0);
            assertThat(incident.title()).isEqualTo("Clicking \u201cSave order\u201d fails silently "
                    + "(POST /api/orders/:id \u2192 500, nothing shown; user retried 2\u00d7)");
            assertThat(incident.severityReason()).startsWith("Data lost");
            assertThat(incident.signals()).extracting(Finding.Signal::kind).containsOnly("action", "failed_request",
                    "console_error", "dead_click");
            assertThat(incident.signals()).filteredOn(signal -> signal.kind().equals("failed_request")).hasSize(3);
            assertThat(incident.element()).isEqualTo("button#save.primary.big \"Save order\"");
        });
    }

    @Test
    void twoDifferentFailingControlsOnOnePageAreTwoIncidents() {
        Events events = new Events().page(0, SHOP, "Edit order", "Items")
                .click(1_000, Events.BUTTON, 100, 100)
                .click(4_000, Events.PANEL, 400, 300)
                .mouseMove(9_000, 0, 0);
        Session session = session(List.of(failure("POST", "/api/orders/12", 500, 1.1),
                failure("DELETE", "/api/orders/12/items/3", 500, 4.1)), List.of());

        List<Finding> findings = IncidentGrouping.group(session, events.read());

        assertThat(findings).hasSize(2);
        assertThat(findings.get(0).fingerprint()).isNotEqualTo(findings.get(1).fingerprint());
        assertThat(findings).extracting(Finding::title).anySatisfy(title -> assertThat(title).contains("POST"))
                .anySatisfy(title -> assertThat(title).contains("DELETE"));
    }

    @Test
    void aPollThatAlsoFailsAwayFromAnyActionIsABackgroundFindingEvenRightAfterAClick() {
        Events events = new Events().page(0, SHOP, "Edit order", "Items")
                .click(6_000, Events.BUTTON, 100, 100).addText(6_100, 30, "Saved")
                .mouseMove(12_000, 0, 0);
        Session session = session(List.of(failure("GET", "/api/notifications", 503, 0.5),
                failure("GET", "/api/notifications", 503, 6.5)), List.of(error("Uncaught Error: boom", 0.3)));

        List<Finding> findings = IncidentGrouping.group(session, events.read());

        assertThat(findings).extracting(Finding::kind)
                .containsExactly(FindingKind.CONSOLE_ERROR, FindingKind.FAILED_REQUEST);
        assertThat(findings).allSatisfy(finding -> {
            assertThat(finding.signals()).isEmpty();
            assertThat(finding.element()).isEmpty();
            assertThat(finding.severityReason()).isNotBlank();
        });
        assertThat(findings.get(1).title()).isEqualTo("Request failed: GET /api/notifications (503)");
    }

    @Test
    void theSameIncidentInTwoSessionsHasOneFingerprintWhetherOrNotTheUserRetried() {
        Events once = new Events().page(0, SHOP, "Edit order", "Items")
                .click(1_000, Events.BUTTON, 100, 100).mouseMove(6_000, 0, 0);
        Events retried = new Events().page(0, "https://shop.example.com/orders/98/edit", "Edit order", "Items")
                .click(2_000, Events.BUTTON, 100, 100)
                .click(2_300, Events.BUTTON, 101, 100)
                .click(2_600, Events.BUTTON, 100, 101)
                .mouseMove(8_000, 0, 0);

        Finding first = IncidentGrouping.group(session(List.of(failure("POST", "/api/orders/12", 500, 1.1)),
                List.of()), once.read()).get(0);
        Finding second = IncidentGrouping.group(session(List.of(failure("POST", "/api/orders/98", 502, 2.1)),
                List.of()), retried.read()).get(0);

        assertThat(second.signals()).extracting(Finding.Signal::kind).contains("rage_click");
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
    }

    @Test
    void aLoadingIndicatorStillShownTenSecondsAfterTheClickIsAHungIncident() {
        Events events = new Events().page(0, SHOP, "Edit order", "Items")
                .click(1_000, Events.BUTTON, 100, 100).addText(1_100, 30, "Loading…")
                .mouseMove(12_000, 0, 0);

        List<Finding> findings = IncidentGrouping.group(session(List.of(), List.of()), events.read());

        assertThat(findings).singleElement().satisfies(incident -> {
            assertThat(incident.kind()).isEqualTo(FindingKind.HUNG_LOADING);
            assertThat(incident.severity()).isEqualTo(Severity.yellow);
            assertThat(incident.title()).isEqualTo("Clicking \u201cSave order\u201d never finishes loading "
                    + "(\u201cLoading…\u201d never went away)");
        });
    }

    @Test
    void aLoaderGoneBeforeTenSecondsOrAHungOneWithTheControlDisabledAreTellApart() {
        Events finishing = new Events().page(0, SHOP, "Edit order", "Items")
                .click(1_000, Events.BUTTON, 100, 100).addText(1_100, 30, "Processing…")
                .remove(9_000, 30).addText(9_000, 40, "Done")
                .mouseMove(14_000, 0, 0);
        Events blocking = new Events().page(0, SHOP, "Edit order", "Items")
                .click(1_000, Events.BUTTON, 100, 100).addText(1_100, 30, "Please wait")
                .attribute(1_150, Events.BUTTON, "disabled", "")
                .mouseMove(14_000, 0, 0);

        assertThat(IncidentGrouping.group(session(List.of(), List.of()), finishing.read())).isEmpty();
        assertThat(IncidentGrouping.group(session(List.of(), List.of()), blocking.read())).singleElement()
                .satisfies(incident -> {
                    assertThat(incident.severity()).isEqualTo(Severity.red);
                    assertThat(incident.severityReason()).startsWith("User blocked");
                });
    }

    @Test
    void anErrorBannerAfterAClickWithoutAnyConsoleErrorIsAnIncident() {
        Events events = new Events().page(0, SHOP, "Edit order", "Items")
                .click(1_000, Events.BUTTON, 100, 100).addText(1_400, 30, "Something went wrong. Please try again.")
                .mouseMove(6_000, 0, 0);

        assertThat(IncidentGrouping.group(session(List.of(), List.of()), events.read())).singleElement()
                .satisfies(incident -> {
                    assertThat(incident.kind()).isEqualTo(FindingKind.ERROR_BANNER);
                    assertThat(incident.severity()).isEqualTo(Severity.red);
                    assertThat(incident.title()).startsWith("Clicking \u201cSave order\u201d shows an error");
                });
    }

    private static Session session(List<NetworkFailure> failures, List<ConsoleError> errors) {
        Session session = new Session();
        session.networkFailures = failures;
        session.consoleErrors = errors;
        return session;
    }

    private static NetworkFailure failure(String method, String path, int status, double at) {
        NetworkFailure failure = new NetworkFailure();
        failure.method = method;
        failure.url = "https://shop.example.com" + path;
        failure.status = status;
        failure.offsetSeconds = at;
        return failure;
    }

    private static ConsoleError error(String message, double at) {
        ConsoleError error = new ConsoleError();
        error.message = message;
        error.url = SHOP;
        error.offsetSeconds = at;
        return error;
    }
}
