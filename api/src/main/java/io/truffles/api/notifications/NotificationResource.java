package io.truffles.api.notifications;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Sorts;
import io.truffles.api.errors.ApiError;
import io.truffles.api.paging.Ids;
import io.truffles.api.paging.QueryParams;
import io.truffles.core.documents.Session;
import io.truffles.core.mongo.Documents;
import io.truffles.core.storage.ObjectStorage;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Notification channels (Slack incoming webhooks, signed webhooks) and what was sent. Reads are open like every GET
 * — channel URLs and secrets are masked to their last four characters, as settings' keys are — and every write needs
 * the admin password ({@code AdminAuthFilter}).
 */
@Path("/api/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "notifications")
public class NotificationResource {
    /** Where Slack fetches a message's thumbnail from (through DASHBOARD_URL): the session's. */
    static final String THUMBNAILS = "/api/notifications/thumbnails";
    private static final int DEFAULT_LIST = 50;
    private static final int MAX_LIST = 500;

    private final ChannelStore channels;
    private final DeliverySender sender;
    private final MongoCollection<Document> notifications;
    private final MongoCollection<Document> deliveries;
    private final Documents documents;
    private final ObjectStorage storage;

    NotificationResource(ChannelStore channels, DeliverySender sender, Documents documents, ObjectStorage storage) {
        this.channels = channels;
        this.sender = sender;
        this.documents = documents;
        this.notifications = documents.database().getCollection(NotificationRelay.COLLECTION);
        this.deliveries = documents.database().getCollection(DeliveryQueue.COLLECTION);
        this.storage = storage;
    }

    @GET
    @Path("/channels")
    @Operation(summary = "Notification channels, oldest first; URLs and secrets masked")
    public List<ChannelView> channels() {
        return channels.list().stream().map(ChannelView::of).toList();
    }

    @POST
    @Path("/channels")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "admin")
    @Operation(summary = "Admin: add a channel ({type: slack|webhook, url, secret (webhook), events, name?, quiet?})")
    public Response create(NewChannel request) {
        if (request == null) {
            throw ApiError.badField("body", "is required");
        }
        ChannelType type = request.validType();
        Channel channel = channels.create(type, request.validName(type), request.validUrl(),
                request.validSecret(type), request.validEvents(), request.validQuiet());
        return Response.status(Response.Status.CREATED).entity(ChannelView.of(channel)).build();
    }

    @PATCH
    @Path("/channels/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @SecurityRequirement(name = "admin")
    @Operation(summary = "Admin: change a channel's quiet rule and/or events ({quiet?, events?}); URL and secret stay")
    public ChannelView change(@PathParam("id") String id, ChannelChange request) {
        ObjectId channelId = Ids.pathId("channel", id);
        if (request == null || (request.quiet() == null && request.events() == null)) {
            throw ApiError.badField("body", "names nothing to change: give \"quiet\" and/or \"events\"");
        }
        Boolean quiet = request.quiet() == null ? null : NewChannel.validQuiet(request.quiet());
        List<String> events = request.events() == null ? null : NewChannel.validEvents(request.events());
        return ChannelView.of(channels.change(channelId, quiet, events)
                .orElseThrow(() -> ApiError.notFound("channel", id)));
    }

    @DELETE
    @Path("/channels/{id}")
    @SecurityRequirement(name = "admin")
    @Operation(summary = "Admin: remove a channel; what still waited for it is failed, its history kept")
    public Response delete(@PathParam("id") String id) {
        ObjectId channelId = Ids.pathId("channel", id);
        if (!channels.delete(channelId)) {
            throw ApiError.notFound("channel", id);
        }
        sender.channelRemoved(channelId);
        return Response.noContent().build();
    }

    /** Answer of {@code POST .../test}: whether the receiver took it, its HTTP status, and what went wrong. */
    public record TestResult(boolean ok, Integer status, String error) {
    }

    @POST
    @Path("/channels/{id}/test")
    @SecurityRequirement(name = "admin")
    @Operation(summary = "Admin: send a test message now; 200 when the receiver took it, 502 with its answer if not")
    public Response test(@PathParam("id") String id) {
        Channel channel = channels.find(Ids.pathId("channel", id)).orElseThrow(() -> ApiError.notFound("channel", id));
        SendResult result = sender.sendTest(channel);
        TestResult answer;
        if (result instanceof SendResult.Delivered delivered) {
            answer = new TestResult(true, delivered.status(), null);
        } else if (result instanceof SendResult.Rejected rejected) {
            answer = new TestResult(false, rejected.status(), rejected.error());
        } else {
            SendResult.Retry retry = (SendResult.Retry) result;
            answer = new TestResult(false, retry.status(), retry.error());
        }
        return Response.status(answer.ok() ? Response.Status.OK : Response.Status.BAD_GATEWAY).entity(answer).build();
    }

    @POST
    @Path("/channels/{id}/resume")
    @SecurityRequirement(name = "admin")
    @Operation(summary = "Admin: resume a paused channel; the messages that waited go out")
    public ChannelView resume(@PathParam("id") String id) {
        Channel channel = channels.resume(Ids.pathId("channel", id))
                .orElseThrow(() -> ApiError.notFound("channel", id));
        sender.wake();
        return ChannelView.of(channel);
    }

    @GET
    @Operation(summary = "Recent notifications, newest first, with each channel's delivery state")
    public List<NotificationView> recent(@QueryParam("limit") String limit) {
        int max = QueryParams.integer("limit", limit, DEFAULT_LIST, 1, MAX_LIST);
        List<Document> latest = notifications.find().sort(Sorts.descending("createdAt", "_id")).limit(max)
                .into(new ArrayList<>());
        Map<ObjectId, Channel> byId = new HashMap<>();
        channels.list().forEach(channel -> byId.put(channel.id(), channel));
        Map<String, List<NotificationView.Delivery>> byNotification = new HashMap<>();
        List<String> keys = latest.stream().map(doc -> doc.getString("_id")).toList();
        for (Document delivery : deliveries.find(in("notification", keys))
                .sort(Sorts.ascending("createdAt", "_id"))) {
            Channel channel = byId.get(delivery.getObjectId("channelId"));
            String status = delivery.getString("status");
            if (DeliveryQueue.PENDING.equals(status) && channel != null && channel.paused()) {
                status = "paused";
            }
            byNotification.computeIfAbsent(delivery.getString("notification"), key -> new ArrayList<>()).add(
                    new NotificationView.Delivery(delivery.getObjectId("channelId").toHexString(),
                            channel == null ? null : channel.type().name(), channel == null ? null : channel.name(),
                            status, delivery.getInteger("attempts", 0), delivery.getInteger("lastStatus"),
                            delivery.getString("lastError"), instant(delivery.getDate("sentAt")),
                            instant(delivery.getDate("nextAttemptAt")), delivery.getString("quietedBy")));
        }
        return latest.stream().map(doc -> new NotificationView(doc.getString("_id"), doc.getString("event"),
                doc.getString("subjectId"), doc.getString("issueId"), instant(doc.getDate("at")),
                doc.get("facts", Document.class), instant(doc.getDate("createdAt")),
                byNotification.getOrDefault(doc.getString("_id"), List.of()))).toList();
    }

    @GET
    @Path("/thumbnails/{sessionId}.jpg")
    @Produces("image/jpeg")
    @Operation(summary = "A session's thumbnail, for the image in a Slack message (Slack cannot reach the bucket)")
    public Response thumbnail(@PathParam("sessionId") String sessionId) {
        ObjectId id = Ids.pathId("session", sessionId);
        Document session = documents.database().getCollection(Session.COLLECTION).find(eq("_id", id))
                .projection(new Document("thumbnailUrl", 1)).first();
        String key = session == null ? null : session.getString("thumbnailUrl");
        if (key == null || !storage.exists(key)) {
            throw ApiError.notFound("thumbnail of session", sessionId);
        }
        return Response.ok(storage.read(key), "image/jpeg").header("Cache-Control", "public, max-age=3600").build();
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}
