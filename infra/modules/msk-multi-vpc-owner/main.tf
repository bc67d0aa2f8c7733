data "aws_partition" "current" {}

locals {
  principals = distinct([for a in var.client_principal_arns : "arn:${data.aws_partition.current.partition}:iam::${split(":", a)[4]}:root"])
  only_named = { ArnEquals = { "aws:PrincipalArn" = var.client_principal_arns } }

  # arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid> -> topic/<name>/<uuid>/<topic>, group/<name>/<uuid>/<group>
  topic_arn_prefix = replace(var.cluster_arn, ":cluster/", ":topic/")
  group_arn_prefix = replace(var.cluster_arn, ":cluster/", ":group/")

  statements = concat(
    [{
      Sid       = "ClientAccountsCreateVpcConnections"
      Effect    = "Allow"
      Principal = { AWS = local.principals }
      Condition = local.only_named
      Action    = ["kafka:CreateVpcConnection", "kafka:GetBootstrapBrokers", "kafka:DescribeCluster", "kafka:DescribeClusterV2"]
      Resource  = var.cluster_arn
    }],
    length(var.read_topics) + length(var.write_topics) == 0 ? [] : [{
      Sid       = "ClientAccountsConnect"
      Effect    = "Allow"
      Principal = { AWS = local.principals }
      Condition = local.only_named
      Action    = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
      Resource  = var.cluster_arn
    }],
    length(var.read_topics) == 0 ? [] : [{
      Sid       = "ClientAccountsRead"
      Effect    = "Allow"
      Principal = { AWS = local.principals }
      Condition = local.only_named
      Action    = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
      Resource  = [for t in var.read_topics : "${local.topic_arn_prefix}/${t}"]
    }],
    length(var.write_topics) == 0 ? [] : [{
      Sid       = "ClientAccountsWrite"
      Effect    = "Allow"
      Principal = { AWS = local.principals }
      Condition = local.only_named
      Action    = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]
      Resource  = [for t in var.write_topics : "${local.topic_arn_prefix}/${t}"]
    }],
    length(var.consumer_groups) == 0 ? [] : [{
      Sid       = "ClientAccountsGroups"
      Effect    = "Allow"
      Principal = { AWS = local.principals }
      Condition = local.only_named
      Action    = ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"]
      Resource  = [for g in var.consumer_groups : "${local.group_arn_prefix}/${g}"]
    }],
  )
}

resource "aws_msk_cluster_policy" "this" {
  cluster_arn = var.cluster_arn
  policy      = jsonencode({ Version = "2012-10-17", Statement = local.statements })
}
