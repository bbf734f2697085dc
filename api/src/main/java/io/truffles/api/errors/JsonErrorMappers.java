package io.truffles.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Malformed JSON and values of the wrong type answer 400 naming the field, instead of a bare 400 or a 500. JSON that
 * cannot be read at all, or is empty, names {@code body}.
 */
public class JsonErrorMappers {
    private static final String BODY = "body";

    /**
     * Quarkus's JSON reader hands JSON it cannot parse (and mapping errors other than a mismatched input) on as a bare
     * 400 around the Jackson error; that is answered here like the rest. Any other refusal keeps its own answer.
     */
    @ServerExceptionMapper
    public Response unreadable(WebApplicationException error) {
        if (error.getCause() instanceof JsonMappingException mapping) {
            return mapping(mapping);
        }
        if (error.getCause() instanceof JsonProcessingException malformed) {
            return badRequest("body: malformed JSON: " + malformed.getOriginalMessage(), BODY);
        }
        return error.getResponse();
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException error) {
        String field = path(error);
        return badRequest(field + ": not a known field", field);
    }

    @ServerExceptionMapper
    public Response wrongType(InvalidFormatException error) {
        String field = path(error);
        return badRequest(field + ": '" + error.getValue() + "' is not a valid " + typeName(error), field);
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException error) {
        String field = path(error);
        return badRequest(field + ": wrong type or shape of value", field);
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException error) {
        String field = path(error);
        return badRequest(field + ": " + error.getOriginalMessage(), field);
    }

    private static String typeName(InvalidFormatException error) {
        Class<?> target = error.getTargetType();
        if (target != null && target.isEnum()) {
            Object[] constants = target.getEnumConstants();
            return "value (one of " + java.util.Arrays.stream(constants).map(Object::toString)
                    .collect(Collectors.joining(", ")) + ")";
        }
        return target == null ? "value" : target.getSimpleName();
    }

    private static String path(JsonMappingException error) {
        if (error.getPath().isEmpty()) {
            return BODY;
        }
        return error.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName()
                        : String.valueOf(reference.getIndex()))
                .collect(Collectors.joining("."));
    }

    private static Response badRequest(String message, String field) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError.ErrorBody(message, field)).build();
    }
}
