package io.truffles.agentrunner.github;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The GitHub REST endpoints the runner uses; {@link GitHubClient} wraps it with auth, rate limits and reuse. */
@RegisterRestClient(configKey = "github")
@ClientHeaderParam(name = "Accept", value = "application/vnd.github+json")
@ClientHeaderParam(name = "X-GitHub-Api-Version", value = "2022-11-28")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface GitHubApi {

    @POST
    @Path("/repos/{owner}/{repo}/pulls")
    PullRequest createPull(@HeaderParam("Authorization") String authorization, @PathParam("owner") String owner,
            @PathParam("repo") String repo, NewPull pull);

    @GET
    @Path("/repos/{owner}/{repo}/pulls")
    List<PullRequest> findPulls(@HeaderParam("Authorization") String authorization, @PathParam("owner") String owner,
            @PathParam("repo") String repo, @QueryParam("head") String head, @QueryParam("state") String state);

    @GET
    @Path("/repos/{owner}/{repo}/pulls/{number}")
    PullRequest getPull(@HeaderParam("Authorization") String authorization, @PathParam("owner") String owner,
            @PathParam("repo") String repo, @PathParam("number") int number);

    @POST
    @Path("/repos/{owner}/{repo}/issues/{number}/labels")
    List<Label> addLabels(@HeaderParam("Authorization") String authorization, @PathParam("owner") String owner,
            @PathParam("repo") String repo, @PathParam("number") int number, Labels labels);

    record NewPull(String title, String head, String base, String body, boolean draft,
            @JsonProperty("maintainer_can_modify") boolean maintainerCanModify) {
    }

    record Labels(List<String> labels) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Label(String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PullRequest(int number, String state, Boolean merged, @JsonProperty("merged_at") String mergedAt,
            @JsonProperty("html_url") String htmlUrl, Boolean draft, Ref head) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Ref(String ref) {
    }
}
