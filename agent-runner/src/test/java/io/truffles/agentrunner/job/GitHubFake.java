package io.truffles.agentrunner.job;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/** WireMock as the GitHub REST API of {@code acme/shop}, on a free loopback port. */
public final class GitHubFake {
    public static final String REPO = "acme/shop";

    private GitHubFake() {
    }

    public static WireMockServer start() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .bindAddress("127.0.0.1"));
        server.start();
        return server;
    }

    /**
     * What an agent's pull request meets: no open pull request for its branch yet, #7 created as a draft, labelled.
     * Forgets every earlier stub and request first.
     */
    public static void openingPullRequest7(WireMockServer github) {
        github.resetAll();
        github.stubFor(get(urlPathEqualTo("/repos/acme/shop/pulls")).willReturn(okJson("[]")));
        github.stubFor(post(urlPathEqualTo("/repos/acme/shop/pulls")).willReturn(aResponse()
                .withStatus(201).withHeader("content-type", "application/json")
                .withBody("{\"number\":7,\"state\":\"open\",\"draft\":true,"
                        + "\"html_url\":\"https://github.com/acme/shop/pull/7\"}")));
        github.stubFor(post(urlPathEqualTo("/repos/acme/shop/issues/7/labels"))
                .willReturn(okJson("[{\"name\":\"truffles-autofix\"}]")));
    }
}
