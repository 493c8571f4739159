package dev.vernier.core.space;

/** A value chosen for one parameter. */
public sealed interface Value {
    /** The hyperparameter string a training program receives. */
    String asHyperparameter();

    record Real(double value) implements Value {
        public String asHyperparameter() {
            return Double.toString(value);
        }
    }

    record Int(long value) implements Value {
        public String asHyperparameter() {
            return Long.toString(value);
        }
    }

    record Choice(String value) implements Value {
        public String asHyperparameter() {
            return value;
        }
    }
}
