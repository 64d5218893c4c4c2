package chat.edge.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and verifies short-lived HS256 access tokens. Plain and thread-safe; the signer and
 * verifier are created once and reused. A client sends the same token with every request until
 * it expires, and checking its signature again cost more than routing the request: so a token
 * that verified is remembered, exactly as sent, with its user and expiry.
 */
public final class AccessTokens {

    public static final String ISSUER = "chat";
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);
    /** HS256 needs a key at least as long as its 256-bit output (RFC 7518 section 3.2). */
    public static final int MIN_SECRET_BYTES = 32;
    /**
     * How far ahead of this node's clock another node's {@code iat} may be: nodes' clocks drift
     * by a little, and a token issued by one is verified by another a moment later.
     */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
    private static final Base64.Encoder BASE64URL_UNPADDED = Base64.getUrlEncoder().withoutPadding();
    /** Verified tokens remembered at most; when full, all are forgotten and verified anew. */
    static final int MAX_REMEMBERED = 20_000;

    private record Verified(String userId, Instant expiresAt) {}

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    public AccessTokens(byte[] secret) {
        this(secret, DEFAULT_TTL, Clock.systemUTC());
    }

    public AccessTokens(byte[] secret, Duration ttl, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(clock, "clock");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "JWT secret must be at least " + MIN_SECRET_BYTES + " bytes, got " + secret.length);
        }
        // JWT times are whole seconds; a sub-second TTL would round to an already-expired token.
        if (ttl.getSeconds() < 1) {
            throw new IllegalArgumentException("ttl must be at least one second");
        }
        byte[] key = Arrays.copyOf(secret, secret.length); // caller may wipe or reuse its array
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable JWT secret", e);
        }
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Seconds an access token lives; the {@code expiresIn} of a login response. */
    public long ttlSeconds() {
        return ttl.getSeconds();
    }

    public String issue(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new IllegalArgumentException("userId must not be blank");
        }
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .issuer(ISSUER)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing an access token failed", e);
        }
        return jwt.serialize();
    }

    /**
     * The token's userId if it is a well-formed HS256 token signed with our key, issued by us,
     * carrying a subject and not yet expired; otherwise empty. Never throws on bad input.
     */
    public Optional<String> verify(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        String exact = token.trim();
        Verified known = verified.get(exact);
        if (known != null) {
            if (clock.instant().isBefore(known.expiresAt())) {
                return Optional.of(known.userId());
            }
            verified.remove(exact);
            return Optional.empty();
        }
        Optional<Verified> checked = check(exact);
        checked.ifPresent(v -> {
            if (verified.size() >= MAX_REMEMBERED) {
                verified.clear();
            }
            verified.put(exact, v);
        });
        return checked.map(Verified::userId);
    }

    private Optional<Verified> check(String token) {
        if (!isCanonical(token)) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            // Pin the algorithm instead of trusting the header: rules out "none" and alg confusion.
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                return Optional.empty();
            }
            if (!jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!ISSUER.equals(claims.getIssuer())) {
                return Optional.empty();
            }
            // No clock skew allowance: the tokens are short-lived and a client simply refreshes.
            Date exp = claims.getExpirationTime();
            if (exp == null || !clock.instant().isBefore(exp.toInstant())) {
                return Optional.empty();
            }
            // Issued in the future, or not valid yet: not a token this cluster issued for now.
            Instant latestIssue = clock.instant().plus(CLOCK_SKEW);
            if (isAfter(claims.getIssueTime(), latestIssue) || isAfter(claims.getNotBeforeTime(), latestIssue)) {
                return Optional.empty();
            }
            String sub = claims.getSubject();
            if (sub == null || sub.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new Verified(sub, exp.toInstant()));
        } catch (ParseException | JOSEException | RuntimeException e) {
            // Malformed input of any kind is just an invalid token to the caller.
            return Optional.empty();
        }
    }

    private static boolean isAfter(Date time, Instant limit) {
        return time != null && time.toInstant().isAfter(limit);
    }

    /**
     * Three parts, each unpadded base64url exactly as an encoder writes it. Decoders forgive
     * padding and the unused bits of the last character, so without this one token would have
     * many spellings that all verify.
     */
    private static boolean isCanonical(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return false;
        }
        for (String part : parts) {
            try {
                if (!BASE64URL_UNPADDED.encodeToString(BASE64URL.decode(part)).equals(part)) {
                    return false;
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }
}
