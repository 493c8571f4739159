// A real training program for Vernier, using nothing beyond the JDK (run as `java Train.java`).
// It trains a small neural network (one hidden tanh layer, softmax output) by mini-batch SGD with
// momentum on the UCI Wine data set, and prints its validation loss and accuracy after every epoch.
//
// The contract with Vernier (the same as a SageMaker training container's):
//   hyperparameters  SM_HP_<NAME> environment variables (all also in SM_HPS as JSON, and in
//                    $SM_INPUT_CONFIG_DIR/hyperparameters.json)
//   data             the "train" channel's files are in the directory SM_CHANNEL_TRAIN
//   model            whatever is written to SM_MODEL_DIR is packed into model.tar.gz
//   metrics          printed lines, matched by the MetricDefinitions regexes of tuning-job.json
//   failure          exit non-zero; a message in $SM_OUTPUT_DIR/failure becomes the FailureReason
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

public class Train {
    public static void main(String[] args) throws IOException {
        double learningRate = hyperParameter("learning_rate", 0.05);
        int hidden = (int) hyperParameter("hidden_units", 8);
        double l2 = hyperParameter("l2", 1e-4);
        int batchSize = (int) hyperParameter("batch_size", 16);
        int epochs = (int) hyperParameter("epochs", 30);
        if (learningRate <= 0 || hidden < 1 || l2 < 0 || batchSize < 1 || epochs < 1) {
            fail("invalid hyperparameters: learning_rate, hidden_units, batch_size and epochs must be positive");
        }
        Path dataDir = Path.of(env("SM_CHANNEL_TRAIN", "data"));
        List<double[]> rows = readCsv(dataDir.resolve("wine.csv"));
        int features = rows.get(0).length - 1;
        int classes = 3;

        // A fixed, stratified-by-shuffle split: 70% to train, 30% to validate.
        Collections.shuffle(rows, new Random(42));
        int cut = rows.size() * 7 / 10;
        List<double[]> train = rows.subList(0, cut);
        List<double[]> validation = rows.subList(cut, rows.size());
        double[] mean = new double[features];
        double[] std = new double[features];
        standardisation(train, mean, std);

        Random random = new Random(7);
        double[][] w1 = matrix(hidden, features, Math.sqrt(1.0 / features), random);
        double[] b1 = new double[hidden];
        double[][] w2 = matrix(classes, hidden, Math.sqrt(1.0 / hidden), random);
        double[] b2 = new double[classes];
        double[][] v1 = new double[hidden][features];
        double[] vb1 = new double[hidden];
        double[][] v2 = new double[classes][hidden];
        double[] vb2 = new double[classes];
        double momentum = 0.9;

        List<double[]> order = new ArrayList<>(train);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Collections.shuffle(order, random);
            double trainLoss = 0;
            for (int start = 0; start < order.size(); start += batchSize) {
                int end = Math.min(order.size(), start + batchSize);
                double[][] g1 = new double[hidden][features];
                double[] gb1 = new double[hidden];
                double[][] g2 = new double[classes][hidden];
                double[] gb2 = new double[classes];
                for (double[] row : order.subList(start, end)) {
                    double[] x = scaled(row, mean, std);
                    int y = (int) row[features];
                    double[] h = new double[hidden];
                    for (int j = 0; j < hidden; j++) {
                        double s = b1[j];
                        for (int i = 0; i < features; i++) s += w1[j][i] * x[i];
                        h[j] = Math.tanh(s);
                    }
                    double[] p = softmax(w2, b2, h);
                    trainLoss -= Math.log(Math.max(p[y], 1e-12));
                    double[] dh = new double[hidden];
                    for (int k = 0; k < classes; k++) {
                        double d = p[k] - (k == y ? 1 : 0);
                        gb2[k] += d;
                        for (int j = 0; j < hidden; j++) {
                            g2[k][j] += d * h[j];
                            dh[j] += d * w2[k][j];
                        }
                    }
                    for (int j = 0; j < hidden; j++) {
                        double d = dh[j] * (1 - h[j] * h[j]);
                        gb1[j] += d;
                        for (int i = 0; i < features; i++) g1[j][i] += d * x[i];
                    }
                }
                double n = end - start;
                step(w1, g1, v1, n, learningRate, momentum, l2);
                step(w2, g2, v2, n, learningRate, momentum, l2);
                step(new double[][] {b1}, new double[][] {gb1}, new double[][] {vb1}, n, learningRate, momentum, 0);
                step(new double[][] {b2}, new double[][] {gb2}, new double[][] {vb2}, n, learningRate, momentum, 0);
            }
            double loss = 0;
            int correct = 0;
            for (double[] row : validation) {
                double[] p = predict(w1, b1, w2, b2, scaled(row, mean, std));
                int y = (int) row[features];
                loss -= Math.log(Math.max(p[y], 1e-12));
                int best = 0;
                for (int k = 1; k < classes; k++) if (p[k] > p[best]) best = k;
                if (best == y) correct++;
            }
            loss /= validation.size();
            if (Double.isNaN(loss) || Double.isInfinite(loss)) fail("training diverged at epoch " + epoch + " (learning_rate too high?)");
            System.out.printf(Locale.ROOT, "epoch=%d train_loss=%.6f validation_loss=%.6f validation_accuracy=%.4f%n",
                    epoch, trainLoss / train.size(), loss, (double) correct / validation.size());
        }
        saveModel(Path.of(env("SM_MODEL_DIR", "model")), w1, b1, w2, b2, mean, std);
    }

    static void step(double[][] w, double[][] g, double[][] v, double n, double lr, double momentum, double l2) {
        for (int a = 0; a < w.length; a++) {
            for (int b = 0; b < w[a].length; b++) {
                v[a][b] = momentum * v[a][b] - lr * (g[a][b] / n + l2 * w[a][b]);
                w[a][b] += v[a][b];
            }
        }
    }

    static double[] predict(double[][] w1, double[] b1, double[][] w2, double[] b2, double[] x) {
        double[] h = new double[b1.length];
        for (int j = 0; j < h.length; j++) {
            double s = b1[j];
            for (int i = 0; i < x.length; i++) s += w1[j][i] * x[i];
            h[j] = Math.tanh(s);
        }
        return softmax(w2, b2, h);
    }

    static double[] softmax(double[][] w, double[] b, double[] h) {
        double[] z = new double[b.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < z.length; k++) {
            z[k] = b[k];
            for (int j = 0; j < h.length; j++) z[k] += w[k][j] * h[j];
            max = Math.max(max, z[k]);
        }
        double sum = 0;
        for (int k = 0; k < z.length; k++) sum += z[k] = Math.exp(z[k] - max);
        for (int k = 0; k < z.length; k++) z[k] /= sum;
        return z;
    }

    static double[][] matrix(int rows, int cols, double scale, Random random) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) for (int i = 0; i < cols; i++) row[i] = random.nextGaussian() * scale;
        return m;
    }

    static void standardisation(List<double[]> rows, double[] mean, double[] std) {
        for (double[] r : rows) for (int i = 0; i < mean.length; i++) mean[i] += r[i] / rows.size();
        for (double[] r : rows) for (int i = 0; i < std.length; i++) std[i] += Math.pow(r[i] - mean[i], 2) / rows.size();
        for (int i = 0; i < std.length; i++) std[i] = Math.max(Math.sqrt(std[i]), 1e-9);
    }

    static double[] scaled(double[] row, double[] mean, double[] std) {
        double[] x = new double[mean.length];
        for (int i = 0; i < x.length; i++) x[i] = (row[i] - mean[i]) / std[i];
        return x;
    }

    static List<double[]> readCsv(Path file) throws IOException {
        if (!Files.isRegularFile(file)) fail("no training data: " + file + " (is the train channel configured?)");
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || Character.isLetter(line.charAt(0))) continue; // header
            String[] cells = line.split(",");
            double[] row = new double[cells.length];
            for (int i = 0; i < cells.length; i++) row[i] = Double.parseDouble(cells[i].trim());
            rows.add(row);
        }
        return rows;
    }

    static void saveModel(Path dir, double[][] w1, double[] b1, double[][] w2, double[] b2, double[] mean, double[] std)
            throws IOException {
        Files.createDirectories(dir);
        String json = "{\"model\": \"mlp-tanh-softmax\", \"w1\": " + json(w1) + ", \"b1\": " + json(b1) + ", \"w2\": " + json(w2)
                + ", \"b2\": " + json(b2) + ", \"mean\": " + json(mean) + ", \"std\": " + json(std) + "}\n";
        Files.writeString(dir.resolve("model.json"), json);
    }

    static String json(double[] v) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) s.append(i == 0 ? "" : ", ").append(v[i]);
        return s.append(']').toString();
    }

    static String json(double[][] m) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < m.length; i++) s.append(i == 0 ? "" : ", ").append(json(m[i]));
        return s.append(']').toString();
    }

    static double hyperParameter(String name, double fallback) {
        String value = System.getenv("SM_HP_" + name.toUpperCase(Locale.ROOT));
        if (value == null) return fallback;
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            fail("hyperparameter " + name + " is not a number: " + value);
            return fallback;
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    static void fail(String message) {
        System.err.println(message);
        String output = System.getenv("SM_OUTPUT_DIR");
        try {
            if (output != null) Files.writeString(Path.of(output, "failure"), message);
        } catch (IOException ignored) {
            // the message is in the log anyway
        }
        System.exit(1);
    }
}
