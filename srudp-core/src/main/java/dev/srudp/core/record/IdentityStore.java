package dev.srudp.core.record;

import dev.srudp.core.crypto.DhKeyPair;
import dev.srudp.core.crypto.Identity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps this peer's {@link LocalIdentity} in a home directory.
 *
 * <p>The home directory is {@link #defaultHome()} unless the application names another, so two
 * identities can run on one machine. It holds:
 *
 * <ul>
 *   <li>{@code identity}: the secret keys and the default port, created with permissions
 *       {@code rw-------} inside a directory created {@code rwx------}. Loading refuses the file
 *       when group or others have any permission on it, as OpenSSH does for private keys.</li>
 *   <li>{@code sequences}: the sequence numbers seen in partners' records; see
 *       {@link SequenceStore#open(Path)}.</li>
 * </ul>
 *
 * <p>The {@code identity} file is 116 bytes:
 *
 * <pre>
 *  offset  length  content
 *       0      18  magic: ASCII "srudp-identity-v1" and a line feed (0x0a)
 *      18      32  Ed25519 private seed
 *      50      32  X25519 static private key
 *      82       2  default UDP port, unsigned big-endian
 *      84      32  SHA-256 of bytes 0-83, so damage is detected rather than
 *                  silently yielding another identity
 * </pre>
 *
 * The public keys and the static key certificate are derived on load; Ed25519 signatures are
 * deterministic, so the certificate is byte-for-byte the same on every run. On file systems
 * without POSIX permissions (Windows) the permission bits are neither set nor checked; protect
 * the home directory with the platform's own access control.
 *
 * <p>Creation writes a temporary file in the home directory and links it into place only if no
 * identity exists there yet, so two processes starting together end up with the same identity.
 */
public final class IdentityStore {
    /** Name of the identity file inside the home directory. */
    public static final String IDENTITY_FILE = "identity";
    /** The system property that overrides {@link #defaultHome()}. */
    public static final String HOME_PROPERTY = "srudp.home";
    /** The environment variable that overrides {@link #defaultHome()} when the property is unset. */
    public static final String HOME_ENVIRONMENT = "SRUDP_HOME";
    /** Lowest default port chosen at creation. */
    public static final int MIN_DEFAULT_PORT = 20000;
    /** Highest default port chosen at creation. */
    public static final int MAX_DEFAULT_PORT = 60000;

    static final String MAGIC_PREFIX = "srudp-identity-v";
    static final byte[] MAGIC = "srudp-identity-v1\n".getBytes(StandardCharsets.US_ASCII);
    static final int FILE_LENGTH = MAGIC.length + 32 + 32 + 2 + 32;
    private static final int CHECKED_LENGTH = FILE_LENGTH - 32;

    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path home;
    private final SecureRandom random;

    private IdentityStore(Path home, SecureRandom random) {
        this.home = home;
        this.random = random;
    }

    /**
     * The home directory used when the application names none: the system property
     * {@value #HOME_PROPERTY} if set, else the environment variable {@value #HOME_ENVIRONMENT} if
     * set, else {@code .srudp} in the user's home directory.
     */
    public static Path defaultHome() {
        String property = System.getProperty(HOME_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String environment = System.getenv(HOME_ENVIRONMENT);
        if (environment != null && !environment.isBlank()) {
            return Path.of(environment);
        }
        return Path.of(System.getProperty("user.home"), ".srudp");
    }

    /** A store in {@code home}; nothing is read or created until asked. */
    public static IdentityStore open(Path home) {
        return open(home, new SecureRandom());
    }

    /** A store in {@code home} that draws new keys and the port from {@code random}. */
    public static IdentityStore open(Path home, SecureRandom random) {
        return new IdentityStore(Objects.requireNonNull(home, "home").toAbsolutePath(),
                Objects.requireNonNull(random, "random"));
    }

    /** The home directory. */
    public Path home() {
        return home;
    }

    /** The identity file inside the home directory. */
    public Path identityFile() {
        return home.resolve(IDENTITY_FILE);
    }

    /** Tells whether an identity file exists (it may still be refused by {@link #load()}). */
    public boolean exists() {
        return Files.exists(identityFile(), LinkOption.NOFOLLOW_LINKS);
    }

    /** The file-backed sequence store of this home directory; see {@link SequenceStore#open(Path)}. */
    public SequenceStore sequences() throws IOException {
        return SequenceStore.open(home);
    }

    /**
     * Loads the identity if one exists, otherwise creates and saves a new one.
     *
     * @throws IdentityStoreException when an identity file exists but cannot be used
     * @throws IOException when the home directory cannot be created or written
     */
    public LocalIdentity loadOrCreate() throws IOException {
        if (exists()) {
            return load();
        }
        try {
            return create();
        } catch (FileAlreadyExistsException createdMeanwhile) {
            return load();
        }
    }

    /**
     * Loads the saved identity.
     *
     * @throws IdentityStoreException when the file is missing, unreadable, readable by group or
     *     others, damaged, or not an srudp identity file; the message says what to do
     */
    public LocalIdentity load() throws IdentityStoreException {
        Path file = identityFile();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IdentityStoreException(file, "No srudp identity at " + file + ". Create one with "
                    + "IdentityStore.loadOrCreate(), or point srudp at the home directory that holds yours "
                    + "(system property " + HOME_PROPERTY + " or environment variable " + HOME_ENVIRONMENT + ").");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IdentityStoreException(file, file + " is not a regular file (a directory or a symbolic "
                    + "link?). Move it away and keep the identity file itself at this path.");
        }
        checkOwnerOnly(file);
        byte[] bytes = read(file);
        return decode(file, bytes);
    }

    /**
     * Creates, saves and returns a new identity with a random default port in
     * {@value #MIN_DEFAULT_PORT}-{@value #MAX_DEFAULT_PORT}.
     *
     * @throws FileAlreadyExistsException when an identity file already exists; an identity is
     *     never overwritten
     */
    public LocalIdentity create() throws IOException {
        Path file = identityFile();
        if (exists()) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "an identity exists already; load it, or delete it first to replace your peer ID");
        }
        LocalIdentity created = new LocalIdentity(Identity.generate(random), DhKeyPair.generate(random),
                MIN_DEFAULT_PORT + random.nextInt(MAX_DEFAULT_PORT - MIN_DEFAULT_PORT + 1));
        byte[] encoded = encode(created);
        createHome();
        Path temporary = Files.createTempFile(home, IDENTITY_FILE + ".", ".tmp", ownerOnly(home, OWNER_FILE));
        try {
            writeDurably(temporary, encoded);
            linkIntoPlace(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
            Arrays.fill(encoded, (byte) 0);
        }
        return created;
    }

    static byte[] encode(LocalIdentity local) {
        ByteBuffer out = ByteBuffer.allocate(FILE_LENGTH);
        out.put(MAGIC);
        out.put(local.identity().seed());
        out.put(local.staticKey().privateKey());
        out.putShort((short) local.defaultPort());
        out.put(sha256(out.array(), CHECKED_LENGTH));
        return out.array();
    }

    private static LocalIdentity decode(Path file, byte[] bytes) throws IdentityStoreException {
        String start = new String(bytes, 0, Math.min(bytes.length, MAGIC.length), StandardCharsets.ISO_8859_1);
        if (!start.startsWith(MAGIC_PREFIX)) {
            throw new IdentityStoreException(file, file + " is not an srudp identity file (it does not begin with \""
                    + MAGIC_PREFIX + "1\"). Move it away, or choose another home directory for srudp.");
        }
        if (!Arrays.equals(bytes, 0, Math.min(bytes.length, MAGIC.length), MAGIC, 0, MAGIC.length)) {
            throw new IdentityStoreException(file, file + " is an srudp identity file in a format this version "
                    + "does not read (it reads \"" + MAGIC_PREFIX + "1\"). Use the srudp version that wrote it, "
                    + "or a newer one.");
        }
        if (bytes.length != FILE_LENGTH) {
            throw damaged(file, (bytes.length > FILE_LENGTH ? "more than " + FILE_LENGTH : bytes.length)
                    + " bytes, expected " + FILE_LENGTH);
        }
        byte[] checksum = sha256(bytes, CHECKED_LENGTH);
        if (!MessageDigest.isEqual(checksum, Arrays.copyOfRange(bytes, CHECKED_LENGTH, FILE_LENGTH))) {
            throw damaged(file, "its checksum does not match");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, MAGIC.length, FILE_LENGTH - MAGIC.length);
        byte[] seed = new byte[32];
        byte[] staticPrivate = new byte[32];
        in.get(seed).get(staticPrivate);
        int port = Short.toUnsignedInt(in.getShort());
        if (port == 0) {
            throw damaged(file, "its default port is 0");
        }
        try {
            return new LocalIdentity(Identity.fromSeed(seed), DhKeyPair.fromPrivateKey(staticPrivate), port);
        } finally {
            Arrays.fill(seed, (byte) 0);
            Arrays.fill(staticPrivate, (byte) 0);
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static IdentityStoreException damaged(Path file, String detail) {
        return new IdentityStoreException(file, file + " is damaged (" + detail + "). Restore it from a backup, "
                + "or delete it to create a new identity; a new identity has a new peer ID, which partners must "
                + "learn again.");
    }

    private static void checkOwnerOnly(Path file) throws IdentityStoreException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = view.readAttributes().permissions();
        } catch (IOException e) {
            throw new IdentityStoreException(file, "Cannot read the permissions of " + file + " (" + e
                    + "). Check that this user owns it.", e);
        }
        if (!OWNER_FILE.containsAll(permissions)) {
            throw new IdentityStoreException(file, file + " is accessible by other users (permissions "
                    + PosixFilePermissions.toString(permissions) + ", expected rw-------), so its private key may "
                    + "have been read. Restrict it with: chmod 600 " + file + " . If others may have copied it, "
                    + "delete it instead to create a new identity.");
        }
    }

    private static byte[] read(Path file) throws IdentityStoreException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            // A file much larger than an identity is foreign or damaged; read only enough to say which.
            ByteBuffer buffer = ByteBuffer.allocate(FILE_LENGTH + 1);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // keep reading until full or at end of file
            }
            return Arrays.copyOf(buffer.array(), buffer.position());
        } catch (AccessDeniedException e) {
            throw new IdentityStoreException(file, "Cannot read " + file + ": permission denied. Run srudp as "
                    + "the user that owns it.", e);
        } catch (NoSuchFileException e) {
            throw new IdentityStoreException(file, "No srudp identity at " + file + " (it vanished while "
                    + "being read).", e);
        } catch (IOException e) {
            throw new IdentityStoreException(file, "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void createHome() throws IOException {
        if (!Files.isDirectory(home)) {
            Files.createDirectories(home, ownerOnly(home.getParent() == null ? home : home.getParent(),
                    OWNER_DIRECTORY));
        }
    }

    private static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    private static void linkIntoPlace(Path temporary, Path file) throws IOException {
        try {
            // A hard link fails if the target exists, so a concurrent creator never loses its race silently.
            Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
            // Without hard links (some network and FAT file systems), a move that refuses to replace
            // an existing file is the closest: the check and the move are then two steps.
            Files.move(temporary, file);
        }
    }

    static FileAttribute<?>[] ownerOnly(Path near, Set<PosixFilePermission> permissions) {
        Path existing = near;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        boolean posix = existing == null
                ? near.getFileSystem().supportedFileAttributeViews().contains("posix")
                : Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return digest.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
