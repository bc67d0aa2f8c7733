package io.sluice.sink.clickhouse.metrics;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a task's {@link SinkTaskMetrics}.
 *
 * <ul>
 *   <li>On Kafka Connect 4.1 and later, through the worker's plugin metrics ({@code SinkTaskContext.pluginMetrics()},
 *       KIP-877): the metrics then reach every metric reporter the worker has (JMX, and any configured
 *       {@code metric.reporters}), tagged by the worker with the connector and task.</li>
 *   <li>On older workers (the sink is compiled against the Connect 3.7 API, where that method does not exist), as
 *       one JMX MBean per task: {@value #DOMAIN}{@code :type=sink-task-metrics,connector=<name>,task=<id>}, one
 *       attribute per metric.</li>
 * </ul>
 */
public final class MetricsRegistration implements AutoCloseable {

    /** JMX domain of the fallback MBeans. */
    public static final String DOMAIN = "io.sluice.sink.clickhouse";

    private static final Logger log = LoggerFactory.getLogger(MetricsRegistration.class);

    private final List<Runnable> undo = new ArrayList<>();
    private final String where;

    private MetricsRegistration(String where) {
        this.where = where;
    }

    /** Returns where the metrics are published, for the log. */
    public String where() {
        return where;
    }

    /**
     * Publishes the metrics through plugin metrics when the worker offers them, else as a JMX MBean. Never throws:
     * a failure to publish metrics is logged and the task runs on.
     *
     * @param context   the task context
     * @param metrics   the metrics
     * @param connector connector name, for the fallback MBean's name
     * @param task      task id, for the fallback MBean's name
     */
    public static MetricsRegistration register(SinkTaskContext context, SinkTaskMetrics metrics, String connector,
                                               String task) {
        Object pluginMetrics = pluginMetrics(context);
        if (pluginMetrics != null) {
            try {
                return viaPluginMetrics(pluginMetrics, metrics);
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.warn("Cannot register plugin metrics ({}); publishing them as a JMX MBean instead", e.toString());
            }
        }
        try {
            return viaJmx(metrics, objectName(connector, task));
        } catch (JMException | RuntimeException e) {
            log.warn("Cannot register the sink task's metrics MBean: {}", e.toString());
            return new MetricsRegistration("nowhere");
        }
    }

    /** Returns the fallback MBean's name for a connector's task. */
    public static ObjectName objectName(String connector, String task) throws JMException {
        return new ObjectName(DOMAIN + ":type=sink-task-metrics,connector=" + ObjectName.quote(connector)
                + ",task=" + ObjectName.quote(task));
    }

    private static Object pluginMetrics(SinkTaskContext context) {
        try {
            Method m = SinkTaskContext.class.getMethod("pluginMetrics");
            return m.invoke(context);
        } catch (NoSuchMethodException e) {
            return null; // a worker before Kafka 4.1
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.debug("pluginMetrics() is unavailable: {}", e.toString());
            return null;
        }
    }

    private static MetricsRegistration viaPluginMetrics(Object pm, SinkTaskMetrics metrics)
            throws ReflectiveOperationException {
        Class<?> api = Class.forName("org.apache.kafka.common.metrics.PluginMetrics", false,
                MetricsRegistration.class.getClassLoader());
        Method metricName = api.getMethod("metricName", String.class, String.class, LinkedHashMap.class);
        Method add = api.getMethod("addMetric", org.apache.kafka.common.MetricName.class,
                org.apache.kafka.common.metrics.MetricValueProvider.class);
        Method remove = api.getMethod("removeMetric", org.apache.kafka.common.MetricName.class);
        MetricsRegistration r = new MetricsRegistration("the worker's plugin metrics");
        for (SinkTaskMetrics.Metric m : metrics.all()) {
            Object name = metricName.invoke(pm, m.name(), m.description(), new LinkedHashMap<String, String>());
            Gauge<Number> gauge = (config, now) -> m.value();
            add.invoke(pm, name, gauge);
            r.undo.add(() -> {
                try {
                    remove.invoke(pm, name);
                } catch (ReflectiveOperationException e) {
                    log.debug("cannot remove metric {}: {}", name, e.toString());
                }
            });
        }
        return r;
    }

    private static MetricsRegistration viaJmx(SinkTaskMetrics metrics, ObjectName name) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(name)) {
            server.unregisterMBean(name); // left by a task of the same id that did not stop cleanly
        }
        server.registerMBean(new MetricsMBean(metrics), name);
        MetricsRegistration r = new MetricsRegistration("JMX MBean " + name);
        r.undo.add(() -> {
            try {
                server.unregisterMBean(name);
            } catch (JMException e) {
                log.debug("cannot unregister {}: {}", name, e.toString());
            }
        });
        return r;
    }

    /** Removes the metrics. */
    @Override
    public void close() {
        undo.forEach(Runnable::run);
        undo.clear();
    }

    /** Read-only MBean with one attribute per metric. */
    private static final class MetricsMBean implements DynamicMBean {
        private final SinkTaskMetrics metrics;
        private final MBeanInfo info;

        MetricsMBean(SinkTaskMetrics metrics) {
            this.metrics = metrics;
            List<MBeanAttributeInfo> attrs = new ArrayList<>();
            for (SinkTaskMetrics.Metric m : metrics.all()) {
                attrs.add(new MBeanAttributeInfo(m.name(), m.value() instanceof Double ? "double" : "long",
                        m.description(), true, false, false));
            }
            info = new MBeanInfo(MetricsMBean.class.getName(), "Sluice ClickHouse sink task metrics",
                    attrs.toArray(new MBeanAttributeInfo[0]), null, null, null);
        }

        @Override
        public Object getAttribute(String attribute) throws AttributeNotFoundException {
            try {
                return metrics.value(attribute);
            } catch (IllegalArgumentException e) {
                throw new AttributeNotFoundException(attribute);
            }
        }

        @Override
        public void setAttribute(Attribute attribute) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public AttributeList getAttributes(String[] attributes) {
            AttributeList l = new AttributeList();
            for (String a : attributes) {
                try {
                    l.add(new Attribute(a, getAttribute(a)));
                } catch (AttributeNotFoundException e) {
                    // left out, as the DynamicMBean contract allows
                }
            }
            return l;
        }

        @Override
        public AttributeList setAttributes(AttributeList attributes) {
            return new AttributeList();
        }

        @Override
        public Object invoke(String actionName, Object[] params, String[] signature) {
            throw new UnsupportedOperationException("no operations");
        }

        @Override
        public MBeanInfo getMBeanInfo() {
            return info;
        }
    }
}
