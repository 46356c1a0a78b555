package dev.advtrain.core.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.advtrain.attacks.model.GradientMode;
import dev.advtrain.core.UserErrorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link RunConfig}: YAML file, then {@code --set key=value} overrides, then defaults for
 * what is still missing, then {@link RunConfig#validate() validation}. Every problem is a {@link
 * UserErrorException} with one line naming where it came from (the file or the {@code --set}), the
 * key path and why.
 *
 * <pre>{@code
 * RunConfig c = ConfigLoader.load(Path.of("configs/mnist-default.yaml"),
 *         List.of("adversarial.eps=0.2", "training.epochs=5"), System.getenv());
 * }</pre>
 */
public final class ConfigLoader {

    /** Environment variable naming the data directory when the config does not set {@code data.dir}. */
    public static final String DATA_DIR_ENV = "ADVTRAIN_DATA_DIR";

    static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .addModule(gradientModeModule())
            .build();

    private static final String HEADER = "# advtrain resolved configuration: every key with the value this run used.\n";

    private ConfigLoader() {}

    /**
     * Loads, overrides and validates a config.
     *
     * @param file the YAML file, or null for the defaults
     * @param overrides {@code key.path=value} strings (the CLI's {@code --set}), applied in order; the
     *     value is read as YAML, so {@code 0.2}, {@code true}, {@code pgd}, {@code null} and {@code [2, 4]}
     *     all work
     * @param env environment lookup; {@value #DATA_DIR_ENV} supplies {@code data.dir} when neither the
     *     file nor an override sets it
     * @throws UserErrorException for a missing file, malformed YAML, unknown key, wrong type, bad
     *     override or broken constraint
     */
    public static RunConfig load(Path file, List<String> overrides, Map<String, String> env) {
        if (file == null) {
            return resolve(MAPPER.createObjectNode(), "defaults", overrides, env);
        }
        return resolve(parse(read(file), file.toString()), file.toString(), overrides, env);
    }

    /**
     * Reads another kind of YAML configuration (e.g. an evaluation suite) the way run configs are
     * read: the same YAML rules, {@code --set} overrides and one-line errors naming the key, but no
     * validation beyond binding (the caller's type does its own).
     *
     * @param file the YAML file, or null for the type's defaults
     * @param overrides {@code key.path=value} strings, as for {@link #load(Path, List, Map)}
     * @param type the record to bind to
     * @throws UserErrorException for a missing file, malformed YAML, unknown key, wrong type or bad override
     */
    public static <T> T bind(Path file, List<String> overrides, Class<T> type) {
        String source = file == null ? "defaults" : file.toString();
        ObjectNode tree = file == null ? MAPPER.createObjectNode() : parse(read(file), source);
        List<Assignment> sets = overrides.stream().map(Assignment::parse).toList();
        sets.forEach(o -> o.applyTo(tree));
        return bind(tree, type, source, sets);
    }

    /** {@link #bind(Path, List, Class)} from YAML text, e.g. a configuration a command builds from its options. */
    public static <T> T bindYaml(String yaml, String source, Class<T> type) {
        return bind(parse(yaml, source), type, source, List.of());
    }

    /** Binds the tree; a binding error names the key and blames the override that set it, else the source. */
    private static <T> T bind(ObjectNode tree, Class<T> type, String source, List<Assignment> sets) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            ConfigErrors.Failure f = ConfigErrors.binding(e);
            throw new UserErrorException(blame(List.of(f.key()), source, sets) + ": " + oneLine(f.message()), e);
        }
    }

    /** The YAML of {@code value}, for saving a resolved configuration. */
    public static String yaml(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        if (!Files.exists(file)) {
            throw new UserErrorException("config file not found: " + file);
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UserErrorException("cannot read config file " + file + ": " + e, e);
        }
    }

    /** {@link #load(Path, List, Map)} with the process environment. */
    public static RunConfig load(Path file, List<String> overrides) {
        return load(file, overrides, System.getenv());
    }

    /**
     * Reads and validates a config from YAML text, e.g. a saved {@link RunConfig#toYaml()}; no
     * overrides, no environment.
     */
    public static RunConfig fromYaml(String yaml) {
        return resolve(parse(yaml, "config"), "config", List.of(), Map.of());
    }

    static String toYaml(RunConfig config) {
        return HEADER + yaml(config);
    }

    private static ObjectNode parse(String yaml, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new UserErrorException(source + ": " + ConfigErrors.syntax(e), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return MAPPER.createObjectNode();
        }
        if (!root.isObject()) {
            throw new UserErrorException(source + ": expected 'key: value' lines at the top level, got "
                    + (root.isArray() ? "a list" : "'" + root.asText() + "'"));
        }
        return (ObjectNode) root;
    }

    private static RunConfig resolve(ObjectNode tree, String source, List<String> overrides,
            Map<String, String> env) {
        List<Assignment> sets = overrides.stream().map(Assignment::parse).toList();
        sets.forEach(o -> o.applyTo(tree));
        dataDirFromEnvironment(tree, env);
        RunConfig config = bind(tree, RunConfig.class, source, sets);
        List<ConfigValidator.Problem> problems = ConfigValidator.check(config);
        if (!problems.isEmpty()) {
            StringBuilder message = new StringBuilder();
            String previous = null;
            for (ConfigValidator.Problem p : problems) {
                String from = blame(p.keys(), source, sets);
                message.append(previous == null ? "" : "; ").append(from.equals(previous) ? "" : from + ": ")
                        .append(p.message());
                previous = from;
            }
            throw new UserErrorException(oneLine(message.toString()));
        }
        return config;
    }

    /** Sets {@code data.dir} from {@value #DATA_DIR_ENV} when neither the file nor an override set it. */
    private static void dataDirFromEnvironment(ObjectNode tree, Map<String, String> env) {
        String dir = env.get(DATA_DIR_ENV);
        JsonNode data = tree.get("data");
        boolean given = data != null && (data.hasNonNull("dir") || !data.isObject() && !data.isNull());
        if (dir == null || dir.isBlank() || given) {
            return;
        }
        (data instanceof ObjectNode section ? section : tree.putObject("data")).put("dir", dir);
    }

    /** The last override touching one of {@code keys}, else the file. */
    private static String blame(List<String> keys, String source, List<Assignment> sets) {
        for (int i = sets.size() - 1; i >= 0; i--) {
            Assignment o = sets.get(i);
            if (keys.stream().anyMatch(o::touches)) {
                return "--set " + o.text();
            }
        }
        return source;
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * One {@code --set key.path=value}.
     *
     * @param text as given
     * @param path the key path split at dots
     * @param value the value read as YAML
     */
    private record Assignment(String text, List<String> path, JsonNode value) {

        static Assignment parse(String text) {
            int eq = text.indexOf('=');
            String key = eq < 0 ? "" : text.substring(0, eq).strip();
            List<String> path = List.of(key.split("\\.", -1));
            if (key.isEmpty() || path.stream().anyMatch(String::isBlank)) {
                throw new UserErrorException(
                        "--set " + text + ": expected key.path=value, e.g. --set adversarial.eps=0.2");
            }
            String raw = text.substring(eq + 1);
            JsonNode value;
            try {
                value = raw.isBlank() ? TextNode.valueOf(raw.strip()) : MAPPER.readTree(raw);
            } catch (JsonProcessingException e) {
                throw new UserErrorException("--set " + text + ": " + ConfigErrors.syntax(e), e);
            }
            return new Assignment(text, path, value.isMissingNode() ? TextNode.valueOf(raw.strip()) : value);
        }

        /** Sets the value in {@code root}, creating missing sections on the way. */
        void applyTo(ObjectNode root) {
            JsonNode node = root;
            for (int i = 0; i < path.size(); i++) {
                String segment = path.get(i);
                boolean last = i == path.size() - 1;
                if (node instanceof ObjectNode object) {
                    if (last) {
                        object.set(segment, value);
                    } else if (object.get(segment) == null || object.get(segment).isNull()) {
                        if (path.get(i + 1).matches("\\d+")) {
                            throw new UserErrorException("--set " + text + ": the config does not list "
                                    + String.join(".", path.subList(0, i + 1)) + "; set the whole list instead");
                        }
                        node = object.putObject(segment);
                    } else {
                        node = object.get(segment);
                    }
                } else if (node instanceof ArrayNode array && segment.matches("\\d{1,9}")
                        && Integer.parseInt(segment) < array.size()) {
                    if (last) {
                        array.set(Integer.parseInt(segment), value);
                    } else {
                        node = array.get(Integer.parseInt(segment));
                    }
                } else {
                    String parent = String.join(".", path.subList(0, i));
                    throw new UserErrorException("--set " + text + ": " + parent + (node.isArray()
                            ? " is a list of " + node.size() + " entries; '" + segment + "' is not an index in it"
                            : " is a single value, not a section with key '" + segment + "'"));
                }
            }
        }

        /** Whether this override set {@code key} (a path like {@code a.b[0].c}), inside it or above it. */
        boolean touches(String key) {
            String mine = String.join(".", path);
            String theirs = key.replaceAll("\\[(\\d+)]", ".$1");
            return !theirs.isEmpty() && (mine.equals(theirs) || mine.startsWith(theirs + ".")
                    || theirs.startsWith(mine + "."));
        }
    }

    /** YAML spelling for the attacks module's {@link GradientMode}: {@code inference}, {@code training}. */
    private static SimpleModule gradientModeModule() {
        SimpleModule module = new SimpleModule("advtrain-config");
        module.addSerializer(GradientMode.class, new JsonSerializer<>() {
            @Override
            public void serialize(GradientMode value, JsonGenerator gen, SerializerProvider serializers)
                    throws IOException {
                gen.writeString(ConfigEnums.id(value));
            }
        });
        module.addDeserializer(GradientMode.class, new JsonDeserializer<>() {
            @Override
            public GradientMode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                if (!p.currentToken().isScalarValue()) {
                    return (GradientMode) ctxt.handleUnexpectedToken(GradientMode.class, p);
                }
                return ConfigEnums.parse(GradientMode.class, p.getText());
            }
        });
        return module;
    }
}
