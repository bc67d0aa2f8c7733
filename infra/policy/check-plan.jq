# Sluice's policy-as-code checker. Reads a Terraform plan in JSON (`terraform show -json`, or the `test_plan` of
# `terraform test -json -verbose`) and prints one line per violation: "<RULE> <resource address>: <why>".
# Lines starting with NOTE are information, not violations. No other output means the plan passes.
# Run: jq -r --arg self <own account id> --arg unknown_policy fail|note -f check-plan.jq plan.json
# (unknown_policy: whether an identity policy that is unknown at plan time fails, or is only noted).
# The rules and their exceptions are listed in infra/README.md ("Policy rules"). Values unknown at plan time are
# handled per rule and said so there.

# ---------- helpers ------------------------------------------------------------------------------------------
def arr: if . == null then [] elif type == "array" then . else [.] end;
def known: . != null and . != "";
# A planned resource: address, type, module instance, values after the change, and which of them are unknown.
def resources:
  [.resource_changes[]?
   | select(.mode == "managed" and (.change.actions // []) != ["delete"])
   | {address, type, module: (.module_address // ""), a: (.change.after // {}), u: (.change.after_unknown // {})}];
# Set means: a known non-empty value, or a value computed from another resource (unknown until apply).
def is_set($r; $k): ($r.a[$k] | known) or ($r.u[$k] == true);
def aws_managed_key: type == "string" and (test("alias/aws/") or . == "AWS_OWNED_KMS_KEY");
def parse_policy: if type == "string" and . != "" then (try fromjson catch null) else null end;
def statements: (.Statement // []) | arr;
def actions: (.Action // []) | arr;
def notactions: (.NotAction // []) | arr;
def res: (.Resource // []) | arr;
def aws_principals: if (.Principal | type) == "string" then [.Principal] else ((.Principal.AWS // []) | arr) end;
def foreign_root($self):
  (type == "string") and (test("^arn:aws[a-z-]*:iam::[0-9]{12}:root$") or test("^[0-9]{12}$"))
  and ((capture("(?<acct>[0-9]{12})").acct) != $self);
def principal_arn_condition:
  [(.Condition // {}) | to_entries[] | .value | to_entries[]
   | select(.key | ascii_downcase | IN("aws:principalarn"))
   | .value | arr[] | select(type == "string" and test("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[^*]+$"))] | length > 0;
# Services whose data-plane APIs support resource-level permissions, and the few actions of theirs that do not.
def data_service_action: test("^(s3|dynamodb|secretsmanager|kms|kafka-cluster):"; "i");
def no_resource_level: IN("s3:ListAllMyBuckets", "secretsmanager:GetRandomPassword", "secretsmanager:ListSecrets",
  "kms:ListKeys", "kms:ListAliases", "kms:CreateKey", "dynamodb:ListTables", "dynamodb:DescribeLimits",
  "dynamodb:DescribeEndpoints", "dynamodb:ListStreams", "s3:GetAccessPoint", "s3:ListAccessPoints");

# Identity policies (attached to roles, users, groups) and resource policies, each as {r, kind, doc}.
def identity_policies($rs):
  [$rs[] | . as $r
   | if IN(.type; "aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy") then
       {r: $r, kind: "identity", doc: ($r.a.policy | parse_policy), unknown: ($r.u.policy == true)}
     elif .type == "aws_iam_role" then
       ($r.a.inline_policy // [] | .[] | {r: $r, kind: "identity", doc: (.policy | parse_policy), unknown: false})
     else empty end];
def resource_policies($rs):
  [$rs[] | . as $r
   | if IN(.type; "aws_s3_bucket_policy", "aws_secretsmanager_secret_policy", "aws_sqs_queue_policy",
            "aws_msk_cluster_policy", "aws_kms_key", "aws_sns_topic_policy", "aws_lambda_permission") then
       (if .type == "aws_lambda_permission" then empty else
        {r: $r, kind: "resource", doc: ($r.a.policy | parse_policy), unknown: ($r.u.policy == true)} end)
     elif .type == "aws_iam_role" then
       {r: $r, kind: "trust", doc: ($r.a.assume_role_policy | parse_policy), unknown: ($r.u.assume_role_policy == true)}
     else empty end];

def v($rule; $r; $msg): "\($rule) \($r.address): \($msg)";

# ---------- rules --------------------------------------------------------------------------------------------
def open_cidr: type == "string" and test("/0$");

def rule_no_open_ingress($rs):
  $rs[] | . as $r
  | if .type == "aws_vpc_security_group_ingress_rule" then
      select((.a.cidr_ipv4 | open_cidr) or (.a.cidr_ipv6 | open_cidr))
      | v("NO_OPEN_INGRESS"; $r; "ingress from \(.a.cidr_ipv4 // .a.cidr_ipv6)")
    elif .type == "aws_security_group_rule" then
      select(.a.type == "ingress" and ([(.a.cidr_blocks // [])[], (.a.ipv6_cidr_blocks // [])[]] | any(open_cidr)))
      | v("NO_OPEN_INGRESS"; $r; "ingress from an open CIDR")
    elif IN(.type; "aws_security_group", "aws_default_security_group") then
      select([(.a.ingress // [])[] | (.cidr_blocks // [])[], (.ipv6_cidr_blocks // [])[]] | any(open_cidr))
      | v("NO_OPEN_INGRESS"; $r; "inline ingress from an open CIDR")
    else empty end;

def rule_iam_wildcards($rs):
  (identity_policies($rs) + resource_policies($rs))[] | . as $p
  | if $p.doc == null then
      (if $p.kind == "identity" and $p.unknown then
         (if ($ARGS.named.unknown_policy // "fail") == "fail" then
            v("IAM_NO_WILDCARD"; $p.r; "policy unknown at plan time, so it cannot be checked (build it from known ARNs)")
          else "NOTE IAM_NO_WILDCARD \($p.r.address): policy unknown at plan time (it names resources created in this plan); its module's example plans check it with known values" end)
       else empty end)
    else
      $p.doc | statements[] | select(.Effect == "Allow") | . as $s
      | ( ($s | actions[] | select(type == "string" and contains("*"))
           | v("IAM_NO_WILDCARD"; $p.r; "\($p.kind) policy allows wildcard action \(.)")),
          ($s | notactions | select(length > 0) | v("IAM_NO_WILDCARD"; $p.r; "\($p.kind) policy allows NotAction (everything else)")),
          (select($p.kind == "identity")
           | $s | res | select(any(. == "*" or (type == "string" and test("^arn:aws[a-z-]*:(s3|dynamodb|secretsmanager|kms|kafka|kafka-cluster):[^:]*:[^:]*:?\\*$"))))
           | [$s | actions[] | select(type == "string" and data_service_action and (no_resource_level | not))]
           | select(length > 0)
           | v("IAM_NO_WILDCARD"; $p.r; "identity policy allows \(join(", ")) on every resource (\"*\")")) )
    end;

def bucket_matches($b; $x): if ($b.a.id | known) and ($x.a.bucket | known) then $x.a.bucket == $b.a.id or $x.a.bucket == $b.a.bucket
  else $x.module == $b.module end;

def tls_deny: .Effect == "Deny"
  and ((actions | any(. == "s3:*" or . == "*")))
  and ((aws_principals | any(. == "*")) or .Principal == "*")
  and (((.Condition.Bool // {})["aws:SecureTransport"] | tostring) == "false")
  and ((res | any(test("/\\*$"))) and (res | any(test("/\\*$") | not)));

def rule_s3($rs):
  $rs[] | select(.type == "aws_s3_bucket") | . as $b
  | ([$rs[] | select(.type == "aws_s3_bucket_policy" and bucket_matches($b; .))] as $pols
     | if ($pols | any(.a.policy | parse_policy | if . == null then false else statements | any(tls_deny) end)) then empty
       else v("S3_TLS_ONLY"; $b; "no bucket policy denies s3:* to every principal when aws:SecureTransport is false, on the bucket and its objects") end),
    ([$rs[] | select(.type == "aws_s3_bucket_public_access_block" and bucket_matches($b; .))
      | select(.a.block_public_acls == true and .a.block_public_policy == true and .a.ignore_public_acls == true and .a.restrict_public_buckets == true)]
     | if length > 0 then empty else v("S3_PUBLIC_ACCESS_BLOCK"; $b; "no public access block with all four settings on") end),
    ([$rs[] | select(.type == "aws_s3_bucket_server_side_encryption_configuration" and bucket_matches($b; .)) | . as $x
      | select(([$x.a.rule[]?.apply_server_side_encryption_by_default[]? | select((.sse_algorithm | tostring | startswith("aws:kms")) and (((.kms_master_key_id | known) and (.kms_master_key_id | aws_managed_key | not)) or ($x.u | tostring | contains("kms_master_key_id\":true"))))] | length) > 0)]
     | if length > 0 then empty else v("CMK_AT_REST"; $b; "bucket is not encrypted with SSE-KMS under a customer managed key") end);

def cmk($r; $key; $what):
  if (is_set($r; $key) and (($r.a[$key] // "") | aws_managed_key | not)) then empty
  else v("CMK_AT_REST"; $r; "\($what) without a customer managed key (\($key))") end;

def rule_cmk($rs):
  $rs[] | . as $r
  | if .type == "aws_msk_cluster" then
      if ((.a.encryption_info[0].encryption_at_rest_kms_key_arn | known) or (.u.encryption_info[0].encryption_at_rest_kms_key_arn? == true)) then empty
      else v("CMK_AT_REST"; $r; "MSK storage without encryption_at_rest_kms_key_arn") end
    elif .type == "aws_rds_cluster" then
      (if .a.storage_encrypted != true then v("CMK_AT_REST"; $r; "storage_encrypted is not true") else empty end),
      cmk($r; "kms_key_id"; "Aurora storage")
    elif .type == "aws_dynamodb_table" then
      if (.a.server_side_encryption[0].enabled == true) and ((.a.server_side_encryption[0].kms_key_arn | known) or (.u.server_side_encryption[0].kms_key_arn? == true)) then empty
      else v("CMK_AT_REST"; $r; "DynamoDB table without server_side_encryption under a customer managed key") end
    elif .type == "aws_cloudwatch_log_group" then cmk($r; "kms_key_id"; "log group")
    elif .type == "aws_sqs_queue" then cmk($r; "kms_master_key_id"; "SQS queue")
    elif .type == "aws_secretsmanager_secret" then cmk($r; "kms_key_id"; "secret")
    elif .type == "aws_sns_topic" then cmk($r; "kms_master_key_id"; "SNS topic")
    elif .type == "aws_launch_template" then
      (.a.block_device_mappings // [])[] as $m | ($m.ebs // [])[]
      | if (.encrypted == "true") and ((.kms_key_id | known) and (.kms_key_id | aws_managed_key | not) or ($r.u | tostring | contains("kms_key_id\":true"))) then empty
        else v("CMK_AT_REST"; $r; "EBS volume \($m.device_name) is not encrypted with a customer managed key") end
    elif .type == "aws_ebs_volume" then
      (if .a.encrypted != true then v("CMK_AT_REST"; $r; "EBS volume not encrypted") else empty end), cmk($r; "kms_key_id"; "EBS volume")
    elif .type == "aws_instance" then
      (.a.root_block_device // [])[] | select(.encrypted != true or ((.kms_key_id | known) | not) and ($r.u | tostring | contains("kms_key_id\":true") | not))
      | v("CMK_AT_REST"; $r; "root volume not encrypted with a customer managed key")
    else empty end;

def rule_msk($rs):
  $rs[] | select(.type == "aws_msk_cluster") | . as $r
  | (if (.a.client_authentication[0].unauthenticated // false) == true then v("MSK_AUTH_TLS"; $r; "unauthenticated access is on") else empty end),
    (if (.a.encryption_info[0].encryption_in_transit[0].client_broker // "TLS") != "TLS" then v("MSK_AUTH_TLS"; $r; "client_broker is \(.a.encryption_info[0].encryption_in_transit[0].client_broker), not TLS") else empty end),
    (if (.a.encryption_info[0].encryption_in_transit[0].in_cluster // true) != true then v("MSK_AUTH_TLS"; $r; "in_cluster encryption is off") else empty end),
    (if (.a.client_authentication | length) == 0 then v("MSK_AUTH_TLS"; $r; "no client_authentication block (defaults allow unauthenticated)") else empty end);

# Names whose value is a credential; *_arn, *_length, *_version, *_id and manage_* are references or settings.
def secret_key: type == "string" and (ascii_downcase | test("(^|[._-])(password|passwd|secret|secret_key|secret_access_key|token|api_key|apikey|private_key|jaas\\.config)$"))
  and (ascii_downcase | test("(_arn|_length|_version|_id|_name|_wo|_wo_version)$|^manage_") | not);
# A literal value: not a config provider reference (${provider:...}) and not an ARN. A JAAS config counts only when
# it carries a password that is not such a reference (IAM's login module has none).
def literal_secret_value($key): type == "string" and . != ""
  and (if ($key | ascii_downcase | test("jaas\\.config$")) then test("password\\s*=\\s*\\\\?\"?[^$\\\\\"]") else (test("^\\$\\{[a-z0-9]+:") | not) and (test("^arn:aws") | not) end);

def rule_secrets($rs):
  $rs[] | . as $r
  | ( (.a | paths(scalars) as $p | select(($p | last | secret_key) and (getpath($p) | literal_secret_value($p | last)))
       | v("NO_PLAINTEXT_SECRET"; $r; "\($p | map(tostring) | join(".")) holds a literal value")),
      (select(.type == "aws_secretsmanager_secret_version" and (.a.secret_string | known))
       | (.a.secret_string | try fromjson catch {"value": .}) as $doc
       | select($doc | type != "object" or ([paths(scalars) as $p | select(($p | last | tostring | ascii_downcase | test("pass|secret|token|key")) and ($doc | getpath($p) | tostring | length > 0))] | length > 0))
       | v("NO_PLAINTEXT_SECRET"; $r; "secret_string carries a credential in the plan and state (use secret_string_wo with an ephemeral value)")),
      (select(.type == "aws_rds_cluster" and (.a.master_password | known))
       | v("NO_PLAINTEXT_SECRET"; $r; "master_password is set (use manage_master_user_password)")),
      (select(.type == "aws_launch_template" and (.a.user_data | known))
       | (.a.user_data | try @base64d catch .) | select(test("(?i)(password|secret|token)[A-Za-z_.]*[ \\t]*[:=][ \\t]*['\"]?[A-Za-z0-9+/]{8,}") and (test("(?i)(password|secret|token)[A-Za-z_.]*[ \\t]*[:=][ \\t]*['\"]?\\$") | not))
       | v("NO_PLAINTEXT_SECRET"; $r; "user_data assigns a literal credential")) );

def rule_cross_account($rs; $self):
  ( resource_policies($rs)[] | . as $p | select($p.doc != null)
    | $p.doc | statements[] | select(.Effect == "Allow") | . as $s
    | $s | aws_principals[] | select(foreign_root($self))
    | select(($s | principal_arn_condition) | not)
    | v("CROSS_ACCOUNT_NAMED"; $p.r; "\($p.kind) policy trusts the whole account \(.) (name roles, or add an aws:PrincipalArn condition with role ARNs)") ),
  ( $rs[] | . as $r
    | if .type == "aws_vpc_endpoint_service_allowed_principal" then
        select(.a.principal_arn | (type == "string") and (test(":root$") or . == "*"))
        | v("CROSS_ACCOUNT_NAMED"; $r; "endpoint service allows \(.a.principal_arn)")
      elif .type == "aws_vpc_endpoint_service" then
        (.a.allowed_principals // [])[] | select(test(":root$") or . == "*")
        | v("CROSS_ACCOUNT_NAMED"; $r; "endpoint service allows \(.)")
      elif .type == "aws_ram_principal_association" then
        select(.a.principal | (type == "string") and test("^[0-9]{12}$|:root$"))
        | empty
      else empty end );

# A resource or trust policy must not allow everyone ("*") without a condition that narrows it.
def rule_public_principal($rs):
  resource_policies($rs)[] | . as $p | select($p.doc != null)
  | $p.doc | statements[] | select(.Effect == "Allow")
  | select((aws_principals | any(. == "*")) and ((.Condition // {}) | length) == 0)
  | v("NO_PUBLIC_PRINCIPAL"; $p.r; "\($p.kind) policy allows every principal (\"*\") without a condition");

def rule_endpoint_acceptance($rs):
  $rs[] | select(.type == "aws_vpc_endpoint_service" and .a.acceptance_required != true)
  | v("ENDPOINT_ACCEPTANCE"; .; "acceptance_required is not true");

def rule_flow_logs($rs):
  $rs[] | select(.type == "aws_vpc") | . as $vpc
  | select([$rs[] | select(.type == "aws_flow_log")
            | select(if ($vpc.a.id | known) and (.a.vpc_id | known) then .a.vpc_id == $vpc.a.id else .module == $vpc.module end)]
           | length == 0)
  | v("VPC_FLOW_LOGS"; $vpc; "no aws_flow_log for this VPC");

def rule_lambda_batch($rs):
  $rs[] | select(.type == "aws_lambda_event_source_mapping")
  | select((.a.function_response_types // []) | index("ReportBatchItemFailures"))
  | select(((.a.provisioned_poller_config // []) | length) == 0)
  | v("LAMBDA_NO_PARTIAL_BATCH"; .; "ReportBatchItemFailures without provisioned pollers (Kafka sources ignore it and a failed batch could be skipped)");

def rule_tgw($rs):
  $rs[] | select(.type == "aws_ec2_transit_gateway" and .a.auto_accept_shared_attachments == "enable")
  | v("TGW_NO_AUTO_ACCEPT"; .; "auto_accept_shared_attachments is enabled");

# ---------- main ---------------------------------------------------------------------------------------------
resources as $rs
| ($self // "") as $self
| rule_no_open_ingress($rs), rule_iam_wildcards($rs), rule_s3($rs), rule_cmk($rs), rule_msk($rs),
  rule_secrets($rs), rule_cross_account($rs; $self), rule_public_principal($rs), rule_endpoint_acceptance($rs), rule_flow_logs($rs),
  rule_lambda_batch($rs), rule_tgw($rs)
