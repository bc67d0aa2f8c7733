// A stand-in for the few AWS read APIs that `terraform plan` calls for Sluice's roots, so that plans render offline
// with the real hashicorp/aws provider (infra/test.sh points the provider's endpoints here). It answers only:
// STS GetCallerIdentity, SSM GetParameter, Secrets Manager GetSecretValue and GetRandomPassword, and MSK ListNodes
// and GetBootstrapBrokers, with fixed fake values. Nothing is created; every other request gets HTTP 400.
// Run: java PlanEndpoint.java <port-file>   (JDK 11+, no dependencies; the chosen port is written to <port-file>)

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public class PlanEndpoint {
  static final String ACCOUNT = "111111111111";
  static final String REGION = "eu-west-1";

  public static void main(String[] args) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", PlanEndpoint::handle);
    server.start();
    Path portFile = Path.of(args[0]);
    Path tmp = Path.of(args[0] + ".tmp");
    Files.writeString(tmp, Integer.toString(server.getAddress().getPort()));
    Files.move(tmp, portFile);
  }

  static void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String target = String.valueOf(ex.getRequestHeaders().getFirst("X-Amz-Target"));
      String path = ex.getRequestURI().getPath();
      if (body.contains("Action=GetCallerIdentity")) {
        reply(ex, 200, "text/xml", "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            + "<GetCallerIdentityResult><Arn>arn:aws:iam::" + ACCOUNT + ":user/plan-only</Arn>"
            + "<UserId>AIDAPLANONLY</UserId><Account>" + ACCOUNT + "</Account></GetCallerIdentityResult>"
            + "<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>"
            + "</GetCallerIdentityResponse>");
      } else if (target.equals("AmazonSSM.GetParameter")) {
        reply(ex, 200, "application/x-amz-json-1.1", "{\"Parameter\":{\"Name\":\"plan-only\",\"Type\":\"String\","
            + "\"Value\":\"ami-0123456789abcdef0\",\"Version\":1,\"DataType\":\"text\",\"ARN\":\"arn:aws:ssm:" + REGION
            + ":" + ACCOUNT + ":parameter/plan-only\"}}");
      } else if (target.equals("secretsmanager.GetRandomPassword")) {
        reply(ex, 200, "application/x-amz-json-1.1", "{\"RandomPassword\":\"planonlyplanonlyplanonlyplanonly\"}");
      } else if (target.equals("secretsmanager.GetSecretValue")) {
        // The only secret a plan reads is the broker map shared by the producer account.
        String map = "{\\\"1\\\":{\\\"host\\\":\\\"b-1.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com\\\",\\\"port\\\":9096,"
            + "\\\"endpoint_service_name\\\":\\\"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef1\\\"},"
            + "\\\"2\\\":{\\\"host\\\":\\\"b-2.sluice.abc123.c2.kafka.eu-west-1.amazonaws.com\\\",\\\"port\\\":9096,"
            + "\\\"endpoint_service_name\\\":\\\"com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef2\\\"}}";
        reply(ex, 200, "application/x-amz-json-1.1", "{\"ARN\":\"arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT
            + ":secret:plan-only-AbCdEf\",\"Name\":\"plan-only\",\"VersionId\":\"00000000-0000-0000-0000-000000000001\","
            + "\"VersionStages\":[\"AWSCURRENT\"],\"CreatedDate\":1.7E9,\"SecretString\":\"" + map + "\"}");
      } else if (path.startsWith("/v1/clusters/") && path.endsWith("/nodes")) {
        StringBuilder nodes = new StringBuilder("{\"NodeInfoList\":[");
        for (int b = 1; b <= 2; b++) {
          if (b > 1) nodes.append(',');
          nodes.append("{\"NodeType\":\"BROKER\",\"NodeARN\":\"arn:aws:kafka:").append(REGION).append(':').append(ACCOUNT)
              .append(":broker/sluice/abc123/").append(b).append("\",\"BrokerNodeInfo\":{\"BrokerId\":").append(b)
              .append(",\"ClientSubnet\":\"subnet-0123456789abcdef").append(b - 1).append("\",\"ClientVpcIpAddress\":\"10.40.")
              .append(b).append(".10\",\"Endpoints\":[\"b-").append(b).append(".sluice.abc123.c2.kafka.").append(REGION)
              .append(".amazonaws.com\"]}}");
        }
        reply(ex, 200, "application/json", nodes.append("]}").toString());
      } else if (path.startsWith("/v1/clusters/") && path.endsWith("/bootstrap-brokers")) {
        String hosts = "b-1.sluice.abc123.c2.kafka." + REGION + ".amazonaws.com";
        reply(ex, 200, "application/json", "{\"BootstrapBrokerStringTls\":\"" + hosts + ":9094\","
            + "\"BootstrapBrokerStringSaslScram\":\"" + hosts + ":9096\",\"BootstrapBrokerStringSaslIam\":\"" + hosts
            + ":9098\",\"BootstrapBrokerStringVpcConnectivitySaslScram\":\"" + hosts + ":14001\","
            + "\"BootstrapBrokerStringVpcConnectivitySaslIam\":\"" + hosts + ":14001\","
            + "\"BootstrapBrokerStringVpcConnectivityTls\":\"" + hosts + ":14001\"}");
      } else {
        System.err.println("PlanEndpoint: unexpected request " + ex.getRequestMethod() + " " + path + " " + target);
        reply(ex, 400, "application/json", "{\"__type\":\"ValidationException\",\"message\":\"PlanEndpoint: not a plan-time call\"}");
      }
    }
  }

  static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
