package dev.deepscope.web;

import dev.deepscope.errors.ForbiddenException;
import dev.deepscope.errors.GoneException;
import dev.deepscope.errors.InvalidFieldException;
import dev.deepscope.errors.NotFoundException;
import dev.deepscope.errors.ServerBusyException;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * The one error format: RFC 9457 {@code application/problem+json}, with a {@code field} property naming
 * the bad input. Nothing a client sends ends in a 500.
 */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

    @ExceptionHandler(InvalidFieldException.class)
    Mono<ResponseEntity<ProblemDetail>> invalidField(InvalidFieldException e, ServerWebExchange exchange) {
        return respond(exchange, e, () -> respond(invalid(e)));
    }

    @ExceptionHandler(NotFoundException.class)
    Mono<ResponseEntity<ProblemDetail>> notFound(NotFoundException e, ServerWebExchange exchange) {
        return respond(exchange, e, () -> respond(problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage(), e.field())));
    }

    @ExceptionHandler(ForbiddenException.class)
    Mono<ResponseEntity<ProblemDetail>> forbidden(ForbiddenException e, ServerWebExchange exchange) {
        return respond(exchange, e, () -> respond(problem(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage(), e.field())));
    }

    @ExceptionHandler(GoneException.class)
    ResponseEntity<ProblemDetail> gone(GoneException e) {
        ProblemDetail problem = problem(HttpStatus.GONE, "Gone", e.getMessage(), e.field());
        e.properties().forEach(problem::setProperty);
        return respond(problem);
    }

    @ExceptionHandler(ServerBusyException.class)
    Mono<ResponseEntity<ProblemDetail>> busy(ServerBusyException e, ServerWebExchange exchange) {
        return respond(exchange, e, () -> {
            ProblemDetail problem = problem(HttpStatus.TOO_MANY_REQUESTS,
                    switch (e.reason()) {
                        case ServerBusyException.SERVER_BUSY -> "Server busy";
                        case ServerBusyException.OWN_SHARE -> "Your share of the server is in use";
                        default -> "Too many runs at once";
                    },
                    e.getMessage(), null);
            problem.setProperty("reason", e.reason());
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(ServerBusyException.retryAfterSeconds(e.retryAfter())))
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem);
        });
    }

    /**
     * PostgreSQL is unreachable: what needs it (history, run records) says so with 503; classification
     * and runs keep working without it.
     */
    @ExceptionHandler(DataAccessException.class)
    Mono<ResponseEntity<ProblemDetail>> databaseAway(DataAccessException e, ServerWebExchange exchange) {
        return respond(exchange, e, () -> ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable",
                        "The history database cannot be reached right now; try again in a few seconds.", null)));
    }

    /**
     * Spring's own exceptions ({@link ResponseEntityExceptionHandler}) end here: like ours, not once the
     * response has started.
     */
    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, ServerWebExchange exchange) {
        if (ProblemWriter.tooLate(exchange, e)) {
            return Mono.empty();
        }
        if (body == null && e instanceof ErrorResponse error) {
            body = error.getBody();   // what Spring would send for it, named below like ours
        }
        if (body instanceof ProblemDetail problem && (problem.getProperties() == null
                || !problem.getProperties().containsKey("field"))) {
            name(problem, e, exchange);
        }
        return super.handleExceptionInternal(e, body, headers, status, exchange);
    }

    /**
     * What was wrong with a request Spring refused before our code ran, named like our own errors: the field
     * (the path, the method, Content-Type, the body) and a sentence a person can act on.
     */
    private static void name(ProblemDetail problem, Exception e, ServerWebExchange exchange) {
        var request = exchange.getRequest();
        if (e instanceof MethodNotAllowedException m) {
            problem.setProperty("field", "method");
            problem.setDetail(request.getMethod() + " is not allowed on " + request.getPath().value()
                    + "; it takes " + m.getSupportedMethods().stream().map(Object::toString).sorted().toList() + ".");
        } else if (e instanceof UnsupportedMediaTypeStatusException u) {
            problem.setProperty("field", "Content-Type");
            problem.setDetail("must be " + u.getSupportedMediaTypes().stream().map(Object::toString).distinct()
                    .toList() + ", not " + (u.getContentType() == null ? "missing" : u.getContentType()) + ".");
        } else if (e instanceof NotAcceptableStatusException n) {
            problem.setProperty("field", "Accept");
            problem.setDetail("must accept one of " + n.getSupportedMediaTypes() + ".");
        } else if (e instanceof NoResourceFoundException) {
            problem.setProperty("field", "path");
            problem.setDetail("Nothing is at " + request.getPath().value() + ".");
        } else if (problem.getStatus() == HttpStatus.CONTENT_TOO_LARGE.value()) {
            problem.setProperty("field", "body");
            problem.setDetail("The request body is larger than this server accepts.");
        } else {
            problem.setProperty("field", "request");
        }
    }

    /**
     * The problem, unless the response has already started (a stream that failed mid-way): then its status
     * and headers are sent and read-only, so the response ends as it is, cleanly, and the client (an
     * EventSource) resumes from the last event it got.
     */
    private static <T> Mono<ResponseEntity<T>> respond(ServerWebExchange exchange, Exception e,
                                                       Supplier<ResponseEntity<T>> problem) {
        return ProblemWriter.tooLate(exchange, e) ? Mono.empty() : Mono.just(problem.get());
    }

    private static ProblemDetail invalid(InvalidFieldException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid input", e.field() + " " + e.getMessage(), e.field());
    }

    /** Malformed JSON, a wrong type, a missing body, or a body over the size limit. */
    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException e,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (ProblemWriter.tooLate(exchange, e)) {
            return Mono.empty();
        }
        if (causedBy(e, DataBufferLimitException.class) != null) {
            return Mono.just(ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem(HttpStatus.PAYLOAD_TOO_LARGE, "Request too large",
                            "The request body is larger than this server accepts.", "body")));
        }
        JacksonException json = causedBy(e, JacksonException.class);
        if (json != null) {
            return Mono.just(ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(invalid(InvalidFieldException.wrongType("", json))));
        }
        var parameter = e.getMethodParameter();
        String field = parameter != null && parameter.getParameterName() != null
                && !parameter.hasParameterAnnotation(org.springframework.web.bind.annotation.RequestBody.class)
                ? parameter.getParameterName() : "body";
        TypeMismatchException mismatch = causedBy(e, TypeMismatchException.class);
        String detail = mismatch != null && mismatch.getRequiredType() != null
                ? field + " must be " + InvalidFieldException.jsonType(mismatch.getRequiredType()) + ", not '"
                        + mismatch.getValue() + "'"
                : e.getReason() != null ? e.getReason() : "The request body could not be read.";
        return Mono.just(ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(HttpStatus.BAD_REQUEST, "Invalid input", detail, field)));
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(WebExchangeBindException e,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (ProblemWriter.tooLate(exchange, e)) {
            return Mono.empty();
        }
        List<String> fields = e.getFieldErrors().stream().map(f -> f.getField()).toList();
        String detail = e.getFieldErrors().stream().map(f -> f.getField() + " " + f.getDefaultMessage())
                .collect(Collectors.joining("; "));
        return Mono.just(ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(HttpStatus.BAD_REQUEST, "Invalid input", detail,
                        fields.isEmpty() ? "body" : fields.get(0))));
    }

    static ProblemDetail problem(HttpStatus status, String title, String detail, String field) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("about:blank"));
        if (field != null) {
            problem.setProperty("field", field);
        }
        return problem;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static <T extends Throwable> T causedBy(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

}
