package dev.vernier.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vernier.server.config.Settings;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/** Given a PEM certificate and key, the server speaks HTTPS (only): the official client over TLS. */
class HttpsTest {
    @TempDir
    Path dir;

    @Test
    void withACertificateAndKeyTheServerSpeaksHttpsOnly() throws Exception {
        KeyStore keyStore = selfSigned();
        Path certificate = dir.resolve("cert.pem"), key = dir.resolve("key.pem");
        Files.writeString(certificate, pem("CERTIFICATE", keyStore.getCertificate("vernier").getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", keyStore.getKey("vernier", "changeit".toCharArray()).getEncoded()));
        Settings settings = TestServer.settings(dir.resolve("data")).withNetwork(new Settings.Network(
                Duration.ofSeconds(20), 64, Optional.of(certificate), Optional.of(key), Optional.empty()));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        try (TestServer server = TestServer.start(settings);
             SageMakerClient client = SageMakerClient.builder().endpointOverride(server.endpoint())
                     .region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create(TestServer.ACCESS_KEY, TestServer.SECRET_KEY)))
                     .httpClientBuilder(UrlConnectionHttpClient.builder()
                             .tlsTrustManagersProvider(trust::getTrustManagers)).build()) {
            assertThat(server.endpoint().getScheme()).isEqualTo("https");
            assertThat(client.listHyperParameterTuningJobs(r -> {}).hyperParameterTuningJobSummaries()).isEmpty();
            URI plain = URI.create("http://127.0.0.1:" + server.port() + "/ping");
            assertThatThrownBy(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        }
    }

    /** A self-signed EC certificate for 127.0.0.1, made by the JDK's keytool. */
    private KeyStore selfSigned() throws Exception {
        Path store = dir.resolve("keystore.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "vernier", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        return keyStore;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
