/** Which program stands for a TrainingImage: a file:// URI or a name a backend's setting maps. */
package dev.vernier.training.image;
